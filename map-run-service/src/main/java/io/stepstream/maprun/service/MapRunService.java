package io.stepstream.maprun.service;

import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.kafka.Failover;
import io.stepstream.kafka.ProtoSerde;
import io.stepstream.kafka.StoreOptions;
import io.stepstream.kafka.StreamsStartup;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.proto.MapRunChild;
import io.stepstream.proto.MapRunCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The map-run service: a Kafka Streams application (exactly_once_v2) running {@link MapRunTopology},
 * an {@link IoPool} that reads items and writes results, and the producer that brings their outcomes
 * back to the commands topic.
 */
public final class MapRunService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MapRunService.class);

  private final KafkaStreams streams;
  private final KafkaProducer<String, MapRunCommand> producer;
  private final IoPool pool;

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param applicationId the Streams application id (e.g. "sfn.map-runs")
   * @param store where readers read and the ResultWriter writes
   * @param instanceId a stable id of this instance (static membership), or null
   */
  public MapRunService(Properties kafka, MapRunTopics topics, String applicationId, Path stateDir, ObjectStore store,
      String instanceId) {
    this(kafka, topics, applicationId, stateDir, store, instanceId, ExecutionMetrics.NONE);
  }

  /**
   * Creates the service like the constructor above, counting the map runs' items in {@code metrics}.
   */
  public MapRunService(Properties kafka, MapRunTopics topics, String applicationId, Path stateDir, ObjectStore store,
      String instanceId, ExecutionMetrics metrics) {
    Properties producerProps = new Properties();
    producerProps.putAll(kafka);
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(),
        new ProtoSerde<>(MapRunCommand.parser()).serializer());
    ResultsFiles results = new ResultsFiles(store, this::childrenStore);
    this.pool = new IoPool(store, command -> producer.send(new ProducerRecord<>(topics.commands(),
        command.getMapRunArn(), command)), results::write, 2);
    this.streams = new KafkaStreams(MapRunTopology.build(topics, pool, metrics), config(kafka, applicationId, stateDir,
        instanceId));
  }

  private ReadOnlyKeyValueStore<String, MapRunChild> childrenStore(int partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, MapRunChild>> parameters = StoreQueryParameters
        .fromNameAndType(MapRunProcessor.CHILDREN_STORE, QueryableStoreTypes.<String, MapRunChild>keyValueStore());
    return streams.store(partition >= 0 ? parameters.withPartition(partition) : parameters);
  }

  private static Properties config(Properties kafka, String applicationId, Path stateDir, String instanceId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 200);
    Failover.streams(props);
    StoreOptions.streams(props);
    if (instanceId != null) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), applicationId + "-" + instanceId);
    }
    return props;
  }

  /** The Streams application, for its own metrics (commit latency, consumer lag), which a caller binds before it starts. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Starts the application and waits until it runs. */
  public void start(Duration timeout) {
    StreamsStartup.startAndAwait("map-run service", timeout, streams);
    LOG.info("Map-run service running (exactly_once_v2)");
  }


  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    pool.close();
    producer.close(Duration.ofSeconds(5));
  }
}
