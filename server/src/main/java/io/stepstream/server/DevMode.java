package io.stepstream.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.auth.SigV4Verifier;
import io.stepstream.gateway.throttle.ThrottleSettings;
import io.stepstream.kafka.EmbeddedKafkaBroker;
import io.stepstream.kafka.Topics;
import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.LocalServices;
import io.stepstream.server.role.Platform;
import io.stepstream.server.role.Roles;
import io.stepstream.server.role.WorkerRole;
import io.stepstream.server.telemetry.Observability;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import org.apache.kafka.clients.admin.Admin;

/**
 * Everything in one JVM: an embedded Kafka broker whose data lives under the data directory, the
 * topics, and every role. Used by {@code stepstream dev} and by end-to-end tests.
 */
public final class DevMode implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DevMode.class);

  /** File in the data directory holding the embedded broker's bootstrap servers. */
  public static final String BOOTSTRAP_FILE = "bootstrap.servers";

  private final EmbeddedKafkaBroker broker;
  private final Roles roles;

  private DevMode(EmbeddedKafkaBroker broker, Roles roles) {
    this.broker = broker;
    this.roles = roles;
  }

  /**
   * Starts the broker, creates missing topics and starts every role; returns when ready.
   *
   * @param dataDir holds the broker's data ({@code kafka/}) and local role state ({@code state/}); created if missing
   * @param host the API's address
   * @param port the API's port, 0 for a free one
   * @param partitions partitions of each new topic
   * @param arns region and account of ARNs
   * @return the running installation
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns) {
    return start(dataDir, host, port, partitions, arns, TaskHandlers.none());
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns)}, with task handlers for the worker role.
   *
   * @param handlers the functions the in-process worker runs
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers) {
    return start(dataDir, host, port, partitions, arns, handlers, null);
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns, TaskHandlers)}, with Distributed Maps
   * reading and writing an S3-compatible store.
   *
   * @param s3Endpoint the store's endpoint, or null for the local buckets under {@code <data-dir>/buckets}
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint) {
    return start(dataDir, host, port, partitions, arns, handlers, s3Endpoint,
        WorkerConfig.DEFAULT_FUNCTION_NOT_FOUND_AFTER);
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns, TaskHandlers, java.net.URI)}, with the
   * time after which tasks of a function no worker serves fail with Lambda.ResourceNotFoundException.
   *
   * @param functionNotFoundAfter how long a function may go without a worker before its tasks fail
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter) {
    return start(dataDir, host, port, partitions, arns, handlers, s3Endpoint, functionNotFoundAfter,
        ThrottleSettings.off(), null, defaultObservability());
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns, TaskHandlers, java.net.URI, Duration)}, with
   * the account's API quotas and the gateway's bound on pending writes.
   *
   * @param throttling the quotas ({@link ThrottleSettings#off()} for none)
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter, ThrottleSettings throttling) {
    return start(dataDir, host, port, partitions, arns, handlers, s3Endpoint, functionNotFoundAfter, throttling, null,
        defaultObservability());
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns, TaskHandlers, java.net.URI, Duration)},
   * with the API checking SigV4 signatures.
   *
   * @param authentication the API's signature check, or null to accept unsigned requests
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter, SigV4Verifier authentication) {
    return start(dataDir, host, port, partitions, arns, handlers, s3Endpoint, functionNotFoundAfter,
        ThrottleSettings.off(), authentication, defaultObservability());
  }

  /**
   * Starts like {@link #start(Path, String, int, int, Arns, TaskHandlers, java.net.URI, Duration)},
   * with trace spans and execution log records going where {@code observability} says.
   *
   * @param observability the OTLP endpoint and execution log destinations; closed with the roles
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter, Observability observability) {
    return start(dataDir, host, port, partitions, arns, handlers, s3Endpoint, functionNotFoundAfter,
        ThrottleSettings.off(), null, observability);
  }

  /** No tracing; execution log records go to the default topic. */
  private static Observability defaultObservability() {
    return Observability.create(null, List.of(), Topics.defaults().executionLogs());
  }

  /**
   * Starts with every setting of the CLI's {@code dev}.
   *
   * @param throttling the quotas ({@link ThrottleSettings#off()} for none)
   * @param authentication the API's signature check, or null to accept unsigned requests
   * @param observability the OTLP endpoint and execution log destinations; closed with the roles
   */
  public static DevMode start(Path dataDir, String host, int port, int partitions, Arns arns, TaskHandlers handlers,
      java.net.URI s3Endpoint, Duration functionNotFoundAfter, ThrottleSettings throttling,
      SigV4Verifier authentication, Observability observability) {
    EmbeddedKafkaBroker broker;
    try {
      broker = EmbeddedKafkaBroker.start(dataDir);
    } catch (RuntimeException e) {
      observability.close();
      throw e;
    }
    try {
      Topics topics = Topics.defaults();
      try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        topics.create(admin, partitions, (short) 1);
        topics.create(admin, observability.logs().topics(), partitions, (short) 1);
        topics.partitionMismatches(admin, partitions).forEach(LOG::warn);
      }
      // Tools (the load test, a replay) find the embedded broker through this file.
      Files.writeString(dataDir.resolve(BOOTSTRAP_FILE), broker.bootstrapServers() + "\n");
      Path stateDir = Files.createDirectories(dataDir.resolve("state"));
      Platform platform = new Platform(broker.bootstrapServers(), topics, arns, host, port, 0, (short) 1, stateDir,
          Clock.systemUTC(), new AtomicBoolean(), new LocalServices(), s3Endpoint, functionNotFoundAfter, Map.of(),
          authentication, observability);
      platform.services().useHandlers(handlers);
      platform.services().useThrottling(throttling);
      Roles roles = Roles.start(platform, List.copyOf(Roles.ALL.keySet()));
      return new DevMode(broker, roles);
    } catch (Exception e) {
      observability.close();
      broker.close();
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  /** Returns {@code http://host:port} of the API. */
  public String endpoint() {
    return roles.find(GatewayRole.class).endpoint();
  }

  /** Returns the in-process worker. */
  public WorkerService worker() {
    return roles.find(WorkerRole.class).worker();
  }

  /** Returns the embedded broker's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Stops every role, then the broker; data stays on disk. */
  @Override
  public void close() {
    try {
      roles.close();
    } finally {
      broker.close();
    }
  }
}
