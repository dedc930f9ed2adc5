package io.stepstream.server;

import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.EmbeddedKafkaBroker;
import io.stepstream.kafka.Topics;
import io.stepstream.server.role.LocalServices;
import io.stepstream.server.role.Platform;
import io.stepstream.server.role.Roles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;

/**
 * Several Stepstream instances in one JVM on one embedded broker, each started as
 * {@code stepstream run --roles ...} starts one: its own API port, internal listener and state.
 * Closing closes the instances still running (newest first), then the broker.
 */
final class TestCluster implements AutoCloseable {

  /** Every role, in start order. */
  static final List<String> ALL_ROLES = List.copyOf(Roles.ALL.keySet());

  private final Path dataDir;
  private final EmbeddedKafkaBroker broker;
  private final Topics topics = Topics.defaults();
  private final List<Roles> instances = new ArrayList<>();

  /** Starts the broker and creates the topics with {@code partitions} partitions. */
  TestCluster(Path dataDir, int partitions) throws Exception {
    this.dataDir = dataDir;
    this.broker = EmbeddedKafkaBroker.start(Files.createDirectories(dataDir.resolve("kafka")));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      topics.create(admin, partitions, (short) 1);
    }
  }

  /** Starts an instance with these roles; its state lives under {@code name}. */
  Roles start(String name, List<String> roles) throws IOException {
    Platform platform = new Platform(broker.bootstrapServers(), topics, Arns.defaults(), "127.0.0.1", freePort(), 0, (short) 1,
        Files.createDirectories(dataDir.resolve(name)), Clock.systemUTC(), new AtomicBoolean(), new LocalServices());
    Roles started = Roles.start(platform, roles);
    instances.add(started);
    return started;
  }

  @Override
  public void close() {
    for (int i = instances.size() - 1; i >= 0; i--) {
      instances.get(i).close();
    }
    broker.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
