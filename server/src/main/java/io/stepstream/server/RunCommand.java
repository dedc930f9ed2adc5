package io.stepstream.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.Topics;
import io.stepstream.server.role.LocalServices;
import io.stepstream.server.role.Platform;
import io.stepstream.server.role.Roles;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.stepstream.server.telemetry.Observability;

/** {@code stepstream run}: some or all roles against an existing Kafka cluster. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Joins an existing Kafka cluster with the given roles.")
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
  String bootstrapServers;

  @Option(names = "--roles", split = ",", description = "Roles to run (default: all of ${COMPLETION-CANDIDATES}).",
      completionCandidates = RoleNames.class)
  List<String> roles;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "API address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8083", description = "API port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--internal-port", defaultValue = "0",
      description = "Port of the internal listener, where other instances send reads this one holds "
          + "(default: a free port, published to the cluster).")
  int internalPort;

  @Option(names = "--state-dir", defaultValue = "./.stepstream/state", description = "Local state (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions of topics this creates (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "3",
      description = "Replication factor of topics this creates (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Option(names = "--region", defaultValue = Arns.DEFAULT_REGION, description = "Region in ARNs (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--account", defaultValue = Arns.DEFAULT_ACCOUNT, description = "Account in ARNs (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--s3-endpoint", description = "S3-compatible endpoint (path-style) that Distributed Map "
      + "ItemReader and ResultWriter use, with the standard AWS credential and region chain. Without it, bucket B "
      + "and key K are the file buckets/ next to --state-dir/B/K.")
  java.net.URI s3Endpoint;

  @Option(names = "--function-not-found-seconds", defaultValue = "30",
      description = "A Lambda function task fails with Lambda.ResourceNotFoundException once no worker has served "
          + "its function for this many seconds (default: ${DEFAULT-VALUE}).")
  long functionNotFoundSeconds;

  @Mixin
  ThrottleOptions throttling;

  @Mixin
  KafkaClientOptions kafka = new KafkaClientOptions();

  @Mixin
  AuthenticationOptions authentication = new AuthenticationOptions();

  /** The role names, for help and completion. */
  static final class RoleNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Roles.ALL.keySet().iterator();
    }
  }

  @Mixin
  ObservabilityOptions observabilityOptions = new ObservabilityOptions();

  @Override
  public Integer call() throws Exception {
    Shutdown.awaitThenClose(start());
    return 0;
  }

  /** Creates missing topics and starts the roles; returns once they serve. */
  Roles start() throws IOException {
    Topics topics = new Topics(topicPrefix);
    Clock clock = Clock.systemUTC();
    Observability observability = observabilityOptions.create(topics);
    Platform platform = new Platform(bootstrapServers, topics, new Arns(region, account), host, port, internalPort, replicationFactor,
        Files.createDirectories(stateDir), clock, new AtomicBoolean(), new LocalServices(), s3Endpoint,
        Duration.ofSeconds(functionNotFoundSeconds), kafka.settings(), authentication.verifier(true, region, clock),
        observability);
    try (Admin admin = Admin.create(platform.kafkaProperties())) {
      topics.create(admin, partitions, replicationFactor);
      topics.create(admin, observability.logs().topics(), partitions, replicationFactor);
      topics.partitionMismatches(admin, partitions).forEach(LOG::warn);
    }
    platform.services().useThrottling(throttling.settings(region));
    List<String> names = roles == null || roles.isEmpty() ? List.copyOf(Roles.ALL.keySet()) : roles;
    Roles running = Roles.start(platform, names);
    LOG.info("Stepstream ready: roles {} on Kafka {}, API on {}:{}, {}", names, bootstrapServers, host, port,
        platform.authentication() == null ? "accepting unsigned requests (--no-authentication)"
            : "checking SigV4 signatures against " + authentication.credentialsFile);
    return running;
  }
}
