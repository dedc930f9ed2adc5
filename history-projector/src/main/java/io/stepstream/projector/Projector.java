package io.stepstream.projector;

import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history projector role: a Kafka Streams application (exactly_once_v2, reading committed
 * events only) running {@link ProjectorTopology}, and the reads over its stores.
 *
 * <p>Each instance holds the partitions assigned to it. {@link #remoteOwner} says which instance
 * holds an execution (callers forward the read there); listings are per instance and merged by the
 * caller across {@link #otherInstances()}. Reads are thread-safe and never block on the network.
 */
public final class Projector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

  private final KafkaStreams streams;
  private final HostInfo self;
  private final ProjectionReader reader;

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param applicationId e.g. "sfn.projector"; {@link ProjectorReset} starts it over from offset 0
   * @param stateDir where the RocksDB stores live
   * @param applicationServer host:port of this instance's API (where other instances forward reads)
   */
  public Projector(Properties kafka, ProjectorSettings settings, String applicationId, Path stateDir,
      String applicationServer) {
    this.streams = new KafkaStreams(ProjectorTopology.build(settings),
        config(kafka, applicationId, stateDir, applicationServer));
    this.self = HostInfo.buildFromEndpoint(applicationServer);
    this.reader = new ProjectionReader(
        () -> store(ProjectorStores.HISTORY, null),
        () -> this.<String, ExecutionSummary>store(ProjectorStores.EXECUTIONS, null),
        this::localListings);
  }

  static Properties config(Properties kafka, String applicationId, Path stateDir, String applicationServer) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // The global (registry) thread handles processing errors like the stream threads do (Kafka 5.0's default).
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    // Only transitions the coordinator committed are history; EOS implies it, and it is the contract.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    // A new (or reset) projector starts from the beginning of the log: that is the rebuild.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 5);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
    return props;
  }

  /** Starts the application and waits until it runs. */
  public void start(Duration timeout) {
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()
          && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException("projector did not reach RUNNING: " + streams.state());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting", e);
      }
    }
    LOG.info("Projector running (exactly_once_v2, read_committed)");
  }

  /**
   * The instance holding an execution's projection when it is another one.
   *
   * @return its host:port, or empty when this instance holds it or no owner is known now (rebalancing)
   */
  public Optional<String> remoteOwner(String executionArn) {
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(ProjectorStores.EXECUTIONS, executionArn, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE) || metadata.activeHost().equals(self)) {
      return Optional.empty();
    }
    HostInfo owner = metadata.activeHost();
    return Optional.of(owner.host() + ":" + owner.port());
  }

  /** Every other instance of the application (host:port), for reads that span all partitions. */
  public List<String> otherInstances() {
    List<String> others = new ArrayList<>();
    try {
      for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
        if (!metadata.hostInfo().equals(self)) {
          others.add(metadata.hostInfo().host() + ":" + metadata.hostInfo().port());
        }
      }
    } catch (IllegalStateException e) {
      LOG.debug("no metadata now: {}", e.getMessage());
    }
    return others;
  }

  /** The execution's summary as this instance holds it. */
  public Optional<ExecutionSummary> summary(String executionArn) {
    try {
      return reader.summary(executionArn);
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /** A page of the execution's AWS-visible events held here (see {@link ProjectionReader#events}). */
  public List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse) {
    try {
      return reader.events(executionArn, after, limit, reverse);
    } catch (InvalidStateStoreException e) {
      return List.of();
    }
  }

  /** A newest-first page of a state machine's executions held here (see {@link ProjectionReader#executions}). */
  public List<ExecutionSummary> executions(String stateMachineArn, ExecutionStatus status, ListCursor cursor,
      int limit) {
    try {
      return reader.executions(stateMachineArn, status, cursor, limit);
    } catch (InvalidStateStoreException e) {
      return List.of();
    }
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
    return streams.store(partition == null ? parameters : parameters.withPartition(partition));
  }

  private List<ReadOnlyKeyValueStore<Bytes, byte[]>> localListings() {
    List<ReadOnlyKeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        stores.add(store(ProjectorStores.LISTINGS, task.taskId().partition()));
      }
    }
    return stores;
  }

  @Override
  public void close() {
    // Leaving the group at once lets the other instances (or a restart, or a rebuild) take the
    // partitions now rather than after the session timeout.
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}
