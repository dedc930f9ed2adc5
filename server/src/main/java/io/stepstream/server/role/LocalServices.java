package io.stepstream.server.role;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.gateway.history.HistoryRoutes;
import io.stepstream.gateway.throttle.ThrottleSettings;
import io.stepstream.kafka.TransactionFencer;
import io.stepstream.worker.TaskHandlers;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What roles of one process offer each other: the projector publishes how to read the histories it
 * holds; the gateway, started after it, reads through it, and routes reads through other instances'
 * directory when the process runs no projector. Both serve their internal actions on the one
 * internal listener of the process. Every role registers its metrics in the process's one registry,
 * which the gateway serves at {@code GET /metrics}.
 */
public final class LocalServices implements AutoCloseable {

  /** Kafka client and Streams metrics not published (see {@link #newRegistry()}). */
  static final java.util.List<String> NOISY_KAFKA_METRICS = java.util.List.of("kafka.stream.state",
      "kafka.stream.processor.node", "kafka.consumer.node", "kafka.producer.node", "kafka.admin.client",
      "kafka.consumer.connection", "kafka.producer.connection");

  private final AtomicReference<TaskHandlers> handlers = new AtomicReference<>(TaskHandlers.none());
  private final AtomicReference<ThrottleSettings> throttling = new AtomicReference<>(ThrottleSettings.off());
  private final PrometheusMeterRegistry meters = newRegistry();
  private final java.util.List<KafkaStreamsMetrics> streamsMetrics = new java.util.concurrent.CopyOnWriteArrayList<>();
  private JvmGcMetrics gcMetrics;
  private final AtomicReference<Projection> projection = new AtomicReference<>();
  private InternalListener internal;
  private TransactionFencer fencer;

  /** The local projection: where its partitions are, and reads over those held here. */
  public record Projection(HistoryRoutes routes, HistoryReader reader) {}

  /** Sets the task handlers the worker role runs; call before the roles start. */
  public void useHandlers(TaskHandlers taskHandlers) {
    handlers.set(Objects.requireNonNull(taskHandlers));
  }

  /** The task handlers the worker role runs (none unless set). */
  public TaskHandlers handlers() {
    return handlers.get();
  }

  /** Sets the quotas and the bound on pending writes the gateway role enforces; call before the roles start. */
  public void useThrottling(ThrottleSettings settings) {
    throttling.set(Objects.requireNonNull(settings));
  }

  /** The quotas the gateway role enforces (none, and the default bound on pending writes, unless set). */
  public ThrottleSettings throttling() {
    return throttling.get();
  }

  /** The process's metrics, in Prometheus's format: every role registers here. */
  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /**
   * Publishes a Kafka Streams application's own metrics (commit latency, its consumers' lag, ...) tagged
   * with the role that runs it; call before it starts.
   */
  public void bindStreams(KafkaStreams app, String role) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(app, Tags.of("role", role));
    binder.bindTo(meters);
    streamsMetrics.add(binder);
  }

  private PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Kafka's per-store, per-processor-node, per-broker-connection and admin-client metrics are most of
    // its thousands of series (2,800 of 6,000 are RocksDB store metrics in dev) and no alarm needs them.
    for (String noisy : NOISY_KAFKA_METRICS) {
      registry.config().meterFilter(MeterFilter.denyNameStartsWith(noisy));
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    return registry;
  }

  public void publishProjection(Projection local) {
    projection.set(local);
  }

  /** The projection of this process's projector, or null when the process runs no projector. */
  public Projection projection() {
    return projection.get();
  }

  /** The process's internal listener, bound on {@code platform}'s host and internal port on first use. */
  synchronized InternalListener internalListener(Platform platform) {
    if (internal == null) {
      internal = new InternalListener(platform.host(), platform.internalPort(), platform.ready()::get);
    }
    return internal;
  }

  /**
   * The process's transaction fencer (see {@link TransactionFencer}), started on first use: each role
   * running an exactly-once Kafka Streams application has it watch that application's group.
   */
  public synchronized TransactionFencer fencer(Platform platform) {
    if (fencer == null) {
      fencer = TransactionFencer.start(platform.kafkaProperties());
    }
    return fencer;
  }

  /** Closes the internal listener and the fencer, once every role has stopped. */
  @Override
  public synchronized void close() {
    if (fencer != null) {
      fencer.close();
      fencer = null;
    }
    if (internal != null) {
      internal.close();
      internal = null;
    }
    streamsMetrics.forEach(KafkaStreamsMetrics::close);
    gcMetrics.close();
    meters.close();
  }
}
