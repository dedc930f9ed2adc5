package io.stepstream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka cluster (one process acting as KRaft controller and broker) running inside
 * this JVM, started from the Kafka server jars.
 *
 * <p>The storage directory is formatted on first use and kept afterwards, so a broker started
 * again on the same directory has every topic and record it had. The broker listens on
 * 127.0.0.1 only. Its settings suit a small development machine: replication factor 1
 * everywhere, few internal partitions, small buffers, no initial rebalance delay.
 *
 * <p>Instances are created started by {@link #start(Path, int)} and stopped by {@link #close()};
 * both block. Not thread-safe: one owner starts and stops it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String HOST = "127.0.0.1";

  private final KafkaRaftServer server;
  private final Path dataDir;
  private final int port;
  private boolean closed;

  private EmbeddedKafkaBroker(KafkaRaftServer server, Path dataDir, int port) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts a broker on a free port.
   *
   * @param dataDir storage directory; created and formatted if it holds no Kafka metadata yet
   * @return the running broker
   */
  public static EmbeddedKafkaBroker start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * Starts a broker and waits until it has joined its own quorum and serves clients.
   *
   * @param dataDir storage directory; created and formatted if it holds no Kafka metadata yet
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @return the running broker
   * @throws IllegalStateException if the broker cannot start (port taken, directory unusable)
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * Starts a broker with extra server properties, which override the defaults of this class.
   *
   * @param dataDir storage directory; created and formatted if it holds no Kafka metadata yet
   * @param port the client port on 127.0.0.1, or 0 for a free one
   * @param overrides Kafka server properties (for example {@code log.segment.bytes})
   * @return the running broker
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port, Map<String, String> overrides) {
    Objects.requireNonNull(dataDir, "dataDir");
    Path logDir = dataDir.toAbsolutePath().resolve("kafka");
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    KafkaConfig config = new KafkaConfig(properties(logDir, clientPort, controllerPort, overrides), false);
    try {
      Files.createDirectories(logDir);
      formatIfNew(logDir);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaBroker(server, dataDir, clientPort);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare Kafka storage in " + logDir, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot start the embedded Kafka broker on port " + clientPort, e);
    }
  }

  /** Returns the {@code bootstrap.servers} value clients use, {@code 127.0.0.1:port}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** Returns the client port. */
  public int port() {
    return port;
  }

  /** Returns the storage directory given at start. */
  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and waits until it has shut down; data stays on disk. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }

  private static Map<String, String> properties(Path logDir, int clientPort, int controllerPort,
                          Map<String, String> overrides) {
    Map<String, String> p = new HashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: one controller, itself. The controller port may change between
    // restarts; a static quorum is not stored in the log, so that is harmless.
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + clientPort + ","
        + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + clientPort);
    p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("metadata.log.dir", logDir.toString());
    // One node: every internal topic has one replica, and fewer partitions than the defaults
    // of 50, which cost seconds of start-up and memory on a 2-core machine.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "8");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "8");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("min.insync.replicas", "1");
    p.put("default.replication.factor", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put(Failover.ABORT_CHECK_CONFIG, Integer.toString(Failover.ABORT_CHECK_INTERVAL_MS));
    p.put("auto.create.topics.enable", "false");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    // The cleaner's dedupe buffer defaults to 128 MiB; compacted topics here are small.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
    p.putAll(overrides);
    return p;
  }

  private static void formatIfNew(Path logDir) throws IOException {
    if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
      return;
    }
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka storage in " + logDir, e);
    }
  }

  private static int freePort() {
    // The port is free now; another process could take it before the broker binds, which
    // on a developer machine is rare enough to surface as a start failure rather than a retry.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + HOST, e);
    }
  }
}
