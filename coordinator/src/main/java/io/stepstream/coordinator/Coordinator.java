package io.stepstream.coordinator;

import io.stepstream.kafka.Failover;
import io.stepstream.kafka.StoreOptions;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.coordinator.throttle.TransitionThrottle;
import io.stepstream.coordinator.topology.ExecutionTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.stepstream.kafka.StreamsStartup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator role: two Kafka Streams applications running {@link ExecutionTopology}, one for
 * STANDARD executions (exactly_once_v2) and one for EXPRESS (at_least_once), each on its own topics.
 * The guarantees differ, so they cannot share an application: one EOS transaction per commit interval
 * would cost EXPRESS its latency, and ALOS would cost STANDARD its exactly-once transitions.
 *
 * <p>Each later generation of a commands topic ({@link io.stepstream.kafka.CommandGenerations}) runs
 * in an application of its own ({@link #startGeneration}), with its own stores: the previous
 * generation hands its executions over to it.
 */
public final class Coordinator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

  private final KafkaStreams standard;
  private final KafkaStreams express;
  private final Properties kafka;
  private final ExecutionTelemetry telemetry;
  private final CoordinatorTopics standardTopics;
  private final CoordinatorTopics expressTopics;
  private final String applicationIdPrefix;
  private final Path stateDir;
  private final String instanceId;
  private final Interpreter interpreter;
  private final java.util.List<KafkaStreams> generations = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final MeterRegistry meters;
  private final ExecutionMetrics metrics;
  private final TransitionThrottle transitions;
  private final java.util.List<KafkaStreamsMetrics> streamsMetrics = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param applicationIdPrefix e.g. "sfn.coordinator"; the apps are "-standard" and "-express"
   * @param stateDir where the RocksDB stores live
   * @param instanceId a stable id of this instance across restarts (static group membership), or null
   * @param meters where the executions' metrics and the Streams clients' own metrics are registered
   */
  public Coordinator(Properties kafka, CoordinatorTopics standardTopics, CoordinatorTopics expressTopics,
      String applicationIdPrefix, Path stateDir, String instanceId, MeterRegistry meters) {
    this(kafka, standardTopics, expressTopics, applicationIdPrefix, stateDir, instanceId, meters,
        ExecutionTelemetry.none());
  }

  /**
   * Creates the coordinator like {@link #Coordinator(Properties, CoordinatorTopics, CoordinatorTopics, String, Path,
   * String, MeterRegistry)}, with trace spans and execution log records.
   *
   * @param telemetry where spans and log records go
   */
  public Coordinator(Properties kafka, CoordinatorTopics standardTopics, CoordinatorTopics expressTopics,
      String applicationIdPrefix, Path stateDir, String instanceId, MeterRegistry meters,
      ExecutionTelemetry telemetry) {
    this(kafka, standardTopics, expressTopics, applicationIdPrefix, stateDir, instanceId, meters, telemetry,
        TransitionThrottle.NONE);
  }

  /**
   * Creates the coordinator like the constructor above, with the account's StateTransition quota.
   *
   * @param transitions the quota the STANDARD executions' transitions wait for
   */
  public Coordinator(Properties kafka, CoordinatorTopics standardTopics, CoordinatorTopics expressTopics,
      String applicationIdPrefix, Path stateDir, String instanceId, MeterRegistry meters,
      ExecutionTelemetry telemetry, TransitionThrottle transitions) {
    this.telemetry = telemetry;
    this.transitions = transitions;
    this.kafka = kafka;
    this.meters = meters;
    this.metrics = new ExecutionMetrics(meters);
    this.standardTopics = standardTopics;
    this.expressTopics = expressTopics;
    this.applicationIdPrefix = applicationIdPrefix;
    this.stateDir = stateDir;
    this.instanceId = instanceId;
    this.interpreter = new Interpreter(Limits.DEFAULT);
    this.standard = new KafkaStreams(
        ExecutionTopology.build(standardTopics, interpreter, 0, metrics, telemetry, transitions),
        config(kafka, applicationIdPrefix + "-standard", stateDir.resolve("standard"), StreamsConfig.EXACTLY_ONCE_V2,
            instanceId));
    this.express = new KafkaStreams(ExecutionTopology.build(expressTopics, interpreter, 0, metrics, telemetry),
        config(kafka, applicationIdPrefix + "-express", stateDir.resolve("express"), StreamsConfig.AT_LEAST_ONCE,
            instanceId));
  }

  /**
   * The settings of a coordinator application (threads, commit interval, polling, batching, failover);
   * public so that the load generator's Kafka Streams baseline runs with exactly the same ones.
   *
   * @param instanceId the static member id, or null for dynamic membership
   */
  public static Properties config(Properties kafka, String applicationId, Path stateDir, String guarantee,
      String instanceId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    // The global (registry) thread handles processing errors like the stream threads do (Kafka 5.0's default).
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // The registry is written in transactions (a write that lost to another instance's is aborted), and
    // the global consumer reads uncommitted records unless the application is exactly-once: the
    // EXPRESS application must not run a definition that was never written.
    props.put(StreamsConfig.globalConsumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    // One thread per core (and so per partition in dev mode): the execution processor is CPU-bound.
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    // EXPRESS: frequent commits keep redelivery after a crash small (its output is visible at once).
    // STANDARD: a transition becomes visible, and an API write answers, only after the commit, so
    // the interval is most of a StartExecution's latency: 20 ms (idle StartExecution p50 31 ms; at
    // 100 ms it was 83 ms under load, which bounds a client's rate to its connections / 83 ms). Under
    // load a commit takes longer than the interval and commits simply follow each other; the
    // throughput with 512 connections was about the same at 20, 50 and 100 ms (3,900-4,450/s, docs/benchmarks.md).
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, StreamsConfig.AT_LEAST_ONCE.equals(guarantee) ? 200 : 20);
    // An idle thread blocks in poll at most this long before it looks at due commits and
    // punctuations: with the default (100 ms) a transaction waits up to a poll beyond its interval.
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    // What a STANDARD transaction writes is visible only once it commits, and the commit flushes
    // every batch at once; so its producer lingers up to the commit interval and sends a few large
    // produce requests per commit rather than one small request per record or two. Each produce
    // request of a transaction costs the broker a verification with the transaction coordinator, and
    // the broker was the largest consumer of CPU in the STANDARD profile (docs/benchmarks.md).
    // EXPRESS output is visible at once: a short linger only batches under load.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
        StreamsConfig.AT_LEAST_ONCE.equals(guarantee) ? 1 : 20);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 131072);
    // The tasks topic may grow while running (workers scale out); the producer spreads tasks over
    // new partitions once its metadata is refreshed, so refresh often rather than every 5 minutes.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.METADATA_MAX_AGE_CONFIG), 5_000);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 200);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
    Failover.streams(props);
    StoreOptions.streams(props);
    // Static membership: an instance restarted on the same state directory (a crash, a deploy) takes
    // its partitions back at once instead of waiting for its old session to expire (45 s by default).
    if (instanceId != null) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), applicationId + "-" + instanceId);
    }
    return props;
  }

  /** Starts both applications and waits until they run. */
  public void start(Duration timeout) {
    bind(standard, "coordinator-standard");
    bind(express, "coordinator-express");
    StreamsStartup.startAndAwait("coordinator", timeout, standard, express);
    LOG.info("Coordinator running (STANDARD exactly_once_v2, EXPRESS at_least_once)");
  }

  /**
   * Starts the application of a later generation of the STANDARD or EXPRESS commands topic and
   * waits until it runs.
   *
   * @param number the generation, at least 1
   * @param topic its commands topic
   * @param previousPartitions the partition count of the generation before it
   */
  public void startGeneration(boolean expressType, int number, String topic, int previousPartitions, Duration timeout) {
    String kind = expressType ? "express" : "standard";
    KafkaStreams app = new KafkaStreams(
        ExecutionTopology.build((expressType ? expressTopics : standardTopics).withCommands(topic), interpreter,
            previousPartitions, metrics, telemetry,
            expressType ? TransitionThrottle.NONE : transitions),
        config(kafka, applicationId(applicationIdPrefix, expressType, number), stateDir.resolve(kind + ".g" + number),
            expressType ? StreamsConfig.AT_LEAST_ONCE : StreamsConfig.EXACTLY_ONCE_V2, instanceId));
    generations.add(app);
    bind(app, "coordinator-" + kind);
    StreamsStartup.startAndAwait("coordinator of " + topic, timeout, app);
    LOG.info("Coordinator of {} running (generation {}, after {} partitions)", topic, number, previousPartitions);
  }

  /**
   * Publishes a Streams application's own metrics (commit latency, consumer lag, ...) tagged with its
   * role, before it starts.
   */
  private void bind(KafkaStreams app, String role) {
    KafkaStreamsMetrics binder = new KafkaStreamsMetrics(app, Tags.of("role", role));
    binder.bindTo(meters);
    streamsMetrics.add(binder);
  }

  /** The application id of a generation's coordinator (what {@code stepstream partitions} waits for). */
  public static String applicationId(String applicationIdPrefix, boolean expressType, int number) {
    return applicationIdPrefix + "-" + (expressType ? "express" : "standard") + (number == 0 ? "" : ".g" + number);
  }

  @Override
  public void close() {
    for (KafkaStreams app : generations) {
      app.close(Duration.ofSeconds(30));
    }
    express.close(Duration.ofSeconds(30));
    standard.close(Duration.ofSeconds(30));
    streamsMetrics.forEach(KafkaStreamsMetrics::close);
  }
}
