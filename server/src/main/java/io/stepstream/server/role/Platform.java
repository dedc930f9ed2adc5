package io.stepstream.server.role;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.auth.SigV4Verifier;
import io.stepstream.kafka.Topics;
import io.stepstream.server.telemetry.Observability;
import io.stepstream.worker.WorkerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What every role of one process shares: the Kafka cluster, the topic layout, ARN settings,
 * where the API listens, and whether the process is ready.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics topic names
 * @param arns region and account of ARNs
 * @param host address the API binds
 * @param port port the API binds (0 for a free one)
 * @param internalPort port of the internal listener, where other instances send the reads this one
 *     holds (0 for a free one; it is published, never configured elsewhere)
 * @param replicationFactor replicas of every topic this installation creates, the Kafka Streams
 *     changelogs included
 * @param stateDir directory for local state (RocksDB stores); the coordinator puts its Streams state here
 * @param clock wall clock of the edge (timestamps of commands and resources)
 * @param ready set once every role has started; {@code GET /health} answers 200 from then on
 * @param services what one role offers the others in the same process (the coordinator's execution reader)
 * @param s3Endpoint the S3-compatible store Distributed Map readers and writers use, or null for the
 *     local buckets under {@link #bucketsDir()}
 * @param functionNotFoundAfter how long a function may go without any worker serving it before its
 *     tasks fail with {@code Lambda.ResourceNotFoundException} (the worker role's setting)
 * @param kafkaSettings Kafka client settings every client of every role gets (TLS, SASL, ...:
 *     {@code --kafka-config}); {@link #kafkaProperties()} is their one home
 * @param authentication checks the SigV4 signature of every public API request, or null to accept
 *     unsigned ones (the internal listener never checks: see docs/operations.md)
 * @param observability where trace spans and execution log records go; closed with the roles
 */
public record Platform(String bootstrapServers, Topics topics, Arns arns, String host, int port, int internalPort,
                       short replicationFactor, Path stateDir,
                       Clock clock, AtomicBoolean ready, LocalServices services, java.net.URI s3Endpoint,
                       Duration functionNotFoundAfter, Map<String, String> kafkaSettings,
                       SigV4Verifier authentication, Observability observability) {

  /**
   * A platform with plain Kafka clients, an API that accepts unsigned requests, no tracing, and
   * execution log records to the default topic.
   */
  public Platform(String bootstrapServers, Topics topics, Arns arns, String host, int port, int internalPort,
      short replicationFactor, Path stateDir, Clock clock, AtomicBoolean ready, LocalServices services,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter) {
    this(bootstrapServers, topics, arns, host, port, internalPort, replicationFactor, stateDir, clock, ready, services,
        s3Endpoint, functionNotFoundAfter, Map.of(), null,
        Observability.create(null, java.util.List.of(), topics.executionLogs()));
  }

  /** A platform whose Distributed Maps read and write the local buckets. */
  public Platform(String bootstrapServers, Topics topics, Arns arns, String host, int port, int internalPort,
      short replicationFactor, Path stateDir, Clock clock, AtomicBoolean ready, LocalServices services) {
    this(bootstrapServers, topics, arns, host, port, internalPort, replicationFactor, stateDir, clock, ready, services,
        null);
  }

  /** A platform whose functions are not found after the {@link WorkerConfig#DEFAULT_FUNCTION_NOT_FOUND_AFTER default} time. */
  public Platform(String bootstrapServers, Topics topics, Arns arns, String host, int port, int internalPort,
      short replicationFactor, Path stateDir, Clock clock, AtomicBoolean ready, LocalServices services,
      java.net.URI s3Endpoint) {
    this(bootstrapServers, topics, arns, host, port, internalPort, replicationFactor, stateDir, clock, ready, services,
        s3Endpoint, WorkerConfig.DEFAULT_FUNCTION_NOT_FOUND_AFTER);
  }

  /**
   * Where bucket B and key K are the file {@code B/K} when no S3 endpoint is set: {@code buckets/}
   * next to the state directory ({@code <data-dir>/buckets} in dev).
   */
  public Path bucketsDir() {
    return stateDir.toAbsolutePath().normalize().resolveSibling("buckets");
  }

  /** Checks the components. */
  public Platform {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(arns, "arns");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ready, "ready");
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(functionNotFoundAfter, "functionNotFoundAfter");
    kafkaSettings = Map.copyOf(kafkaSettings);
    Objects.requireNonNull(observability, "observability");
  }

  /**
   * A stable id of this process's installation: one per state directory, kept in it, so a process
   * restarted on the same data is the same consumer-group member (static membership: it takes its
   * partitions back at once instead of waiting for its old session to expire) and two processes never
   * share one.
   */
  public String instanceId() {
    try {
      Files.createDirectories(stateDir);
      Path file = stateDir.resolve("instance.id");
      if (!Files.exists(file)) {
        Files.writeString(file, UUID.randomUUID().toString());
      }
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the instance id in " + stateDir, e);
    }
  }

  /**
   * Returns fresh properties for a Kafka Streams application: the client properties, and the
   * replication factor and {@code min.insync.replicas} of the internal topics it creates (changelogs,
   * repartition topics), so that they are replicated like every other topic.
   */
  public Properties streamsProperties() {
    Properties props = kafkaProperties();
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
    props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
        Integer.toString(Topics.minInSyncReplicas(replicationFactor)));
    // A warm copy of each task's stores on another instance: when an instance dies, its tasks move
    // to instances that already hold their state (seconds) instead of restoring whole changelogs
    // (minutes for large stores). It costs each instance a second copy of some stores' disk and the
    // changelog reads that keep it current. Not with replication factor 1 (dev mode, a single
    // broker): that is one machine, where a standby would only double the work (and Streams warns at
    // every rebalance that it has nowhere to put it).
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, replicationFactor > 1 ? 1 : 0);
    return props;
  }

  /**
   * Returns fresh Kafka client properties: {@code bootstrap.servers} and the {@link #kafkaSettings()}
   * (security); callers add their own. Every Kafka client of every role is built from these.
   */
  public Properties kafkaProperties() {
    Properties props = new Properties();
    props.putAll(kafkaSettings);
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }
}
