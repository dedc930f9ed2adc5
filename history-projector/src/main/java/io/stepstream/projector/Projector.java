package io.stepstream.projector;

import io.stepstream.kafka.Failover;
import io.stepstream.kafka.StoreOptions;
import io.stepstream.kafka.StreamsStartup;
import io.stepstream.kafka.TopicTail;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.MapRunSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history projector role: a Kafka Streams application (exactly_once_v2, reading committed
 * events only) running {@link ProjectorTopology}, and the reads over its stores.
 *
 * <p>Each instance holds the partitions assigned to it. {@link #ownerAddress} says which instance
 * holds an execution (callers forward the read there); a read here answers only from the active task
 * of the execution's partition, and throws {@link ProjectionUnavailableException} rather than answer
 * "absent" when that task is not here. Listings are per instance, say which partitions they cover,
 * and are merged by the caller across {@link #otherInstances()}. Reads are thread-safe and never
 * block on the network; a caller that must see every write answered before it first waits for
 * {@link #caughtUp} (or {@link #caughtUpActive}), which does not block either.
 */
public final class Projector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Projector.class);

  private final KafkaStreams streams;
  private final HostInfo self;
  private final int partitionCount;
  private final List<String> eventTopics;
  private final ProjectionBarrier barrier;

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param applicationId e.g. "sfn.projector"; {@link ProjectorReset} starts it over from offset 0
   * @param stateDir where the RocksDB stores live
   * @param applicationServer host:port of this instance's API (where other instances forward reads)
   */
  public Projector(Properties kafka, ProjectorSettings settings, String applicationId, Path stateDir,
      String applicationServer) {
    ProjectedOffsets offsets = new ProjectedOffsets();
    this.streams = new KafkaStreams(ProjectorTopology.build(settings, offsets),
        config(kafka, applicationId, stateDir, applicationServer));
    this.self = HostInfo.buildFromEndpoint(applicationServer);
    this.partitionCount = TopicTail.partitionCount(kafka, settings.eventTopics().get(0));
    this.eventTopics = settings.eventTopics();
    this.barrier = new ProjectionBarrier(kafka, applicationId, offsets);
  }

  /**
   * Completes once this instance's projection of the execution's partition holds every event written
   * there before the call: call before a read of the execution, so that it sees every write that
   * answered before it (see {@link ProjectionBarrier}). Fails with
   * {@link ProjectionUnavailableException} when that takes too long or no instance holds the partition.
   */
  public CompletableFuture<Void> caughtUp(String executionArn) {
    int partition;
    try {
      partition = metadata(executionArn).partition();
    } catch (ProjectionUnavailableException e) {
      return CompletableFuture.failedFuture(e);
    }
    return barrier.await(inputs(Set.of(partition)));
  }

  /** As {@link #caughtUp(String)}, for every partition active here (listings, map runs). */
  public CompletableFuture<Void> caughtUpActive() {
    return barrier.await(inputs(activePartitions()));
  }

  private Set<TopicPartition> inputs(Set<Integer> partitions) {
    Set<TopicPartition> inputs = new HashSet<>();
    for (String topic : eventTopics) {
      for (int partition : partitions) {
        inputs.add(new TopicPartition(topic, partition));
      }
    }
    return inputs;
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
    // A read that follows a write waits for the projection to pass the end of its partition, and when
    // that end is a transaction marker only the committed offset shows it (ProjectionBarrier); EXPRESS
    // writes answer once the projector has committed their events. So it commits twice as often as
    // the EOS default; one thread, one small transaction per commit.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    // The two events topics share a task but no time order: a batch of one never waits for the
    // other topic's partition to have data.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
    // Only transitions the coordinator committed are history; EOS implies it, and it is the contract.
    // EOS here is what makes a reply mean "the store holds it durably": the reply and the store's
    // changelog commit together, so an owner restored after a crash never lacks an answered write.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
    // A new (or reset) projector starts from the beginning of the log: that is the rebuild.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 200);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
    // Its output (changelogs, EXPRESS replies) is visible only once a transaction commits, and the
    // commit flushes: linger up to the commit interval, a few large produce requests per commit.
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 50);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 131072);
    Failover.streams(props);
    StoreOptions.streams(props);
    return props;
  }

  /**
   * Calls {@code listener} each time the application (re)enters RUNNING: after start and after
   * every rebalance, when its partitions may have changed. Call before {@link #start}.
   */
  public void onRunning(Runnable listener) {
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        listener.run();
      }
    });
  }

  /** The partitions this instance holds as active tasks now. */
  public Set<Integer> activePartitions() {
    Set<Integer> partitions = new HashSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        partitions.add(task.taskId().partition());
      }
    }
    return partitions;
  }

  /** The Streams application, for its own metrics (commit latency, consumer lag), which a caller binds before it starts. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Starts the application and waits until it runs. */
  public void start(Duration timeout) {
    StreamsStartup.startAndAwait("projector", timeout, streams);
    LOG.info("Projector running (exactly_once_v2, read_committed)");
  }


  /**
   * Where a read of an execution must be answered.
   *
   * @return null when this instance holds the execution's partition as an active task, else the
   *     host:port ({@code application.server}) of the instance that does
   * @throws ProjectionUnavailableException when no instance is known to hold it now (rebalancing)
   */
  public String ownerAddress(String executionArn) {
    HostInfo owner = metadata(executionArn).activeHost();
    return owner.equals(self) ? null : owner.host() + ":" + owner.port();
  }

  private KeyQueryMetadata metadata(String executionArn) {
    KeyQueryMetadata metadata;
    try {
      metadata = streams.queryMetadataForKey(ProjectorStores.EXECUTIONS, executionArn, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      throw new ProjectionUnavailableException("The history projection is not running: " + e.getMessage());
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      throw new ProjectionUnavailableException("No instance holds the execution's history now (rebalancing)");
    }
    return metadata;
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
      throw new ProjectionUnavailableException("The history projection is not running: " + e.getMessage());
    }
    return others;
  }

  /** The number of partitions of the events topics: a complete listing covers each of them. */
  public int partitionCount() {
    return partitionCount;
  }

  /**
   * The execution's summary, read from the active task of its partition on this instance.
   *
   * @throws ProjectionUnavailableException when that partition is not active and queryable here
   */
  public Optional<ExecutionSummary> summary(String executionArn) {
    try {
      return readerFor(executionArn).summary(executionArn);
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The execution's history is moving: " + e.getMessage());
    }
  }

  /** A page of the execution's AWS-visible events (see {@link ProjectionReader#events}); as {@link #summary}. */
  public List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse) {
    try {
      return readerFor(executionArn).events(executionArn, after, limit, reverse);
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The execution's history is moving: " + e.getMessage());
    }
  }

  /**
   * A newest-first page of a state machine's executions over the partitions active here (see
   * {@link ProjectionReader#executions}), and which partitions those are.
   */
  public Listing executions(String stateMachineArn, ExecutionStatus status, Boolean redriven, ListCursor cursor,
      int limit) {
    Set<Integer> partitions = activePartitions();
    List<ReadOnlyKeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();
    try {
      for (int partition : partitions) {
        stores.add(store(ProjectorStores.LISTINGS, partition));
      }
      ProjectionReader reader = new ProjectionReader(() -> null,
          () -> this.<String, ExecutionSummary>store(ProjectorStores.EXECUTIONS, null), () -> stores);
      return new Listing(reader.executions(stateMachineArn, status, redriven, cursor, limit), partitions);
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The history projection is moving: " + e.getMessage());
    }
  }

  /**
   * A map run as the partitions active here hold it, and which partitions those are (a run lives in
   * its parent execution's partition, which its ARN does not name).
   */
  public MapRunShare mapRun(String mapRunArn) {
    Set<Integer> partitions = activePartitions();
    try {
      MapRunSnapshot found = null;
      for (int partition : partitions) {
        MapRunSnapshot snapshot = this.<String, MapRunSnapshot>store(ProjectorStores.MAP_RUNS, partition)
            .get(MapRunProjection.byArn(mapRunArn));
        if (snapshot != null) {
          found = snapshot;
        }
      }
      return new MapRunShare(Optional.ofNullable(found), partitions);
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The history projection is moving: " + e.getMessage());
    }
  }

  /** The map runs an execution started, oldest first; read from its partition, which must be active here. */
  public List<MapRunSnapshot> mapRuns(String executionArn) {
    KeyQueryMetadata metadata = metadata(executionArn);
    if (!metadata.activeHost().equals(self)) {
      throw new ProjectionUnavailableException("The execution's history moved to another instance");
    }
    List<MapRunSnapshot> runs = new ArrayList<>();
    try {
      ReadOnlyKeyValueStore<String, MapRunSnapshot> store = store(ProjectorStores.MAP_RUNS, metadata.partition());
      String prefix = MapRunProjection.byExecution(executionArn, "");
      try (KeyValueIterator<String, MapRunSnapshot> it = store.prefixScan(prefix, Serdes.String().serializer())) {
        it.forEachRemaining(entry -> runs.add(entry.value));
      }
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The execution's history is not readable here now: " + e.getMessage());
    }
    runs.sort(java.util.Comparator.comparingLong(MapRunSnapshot::getStartTimeMs));
    return runs;
  }

  /** What the partitions active here know of a map run. */
  public record MapRunShare(Optional<MapRunSnapshot> run, Set<Integer> partitions) {}

  /** A reader over the stores of the execution's partition, which must be active here. */
  private ProjectionReader readerFor(String executionArn) {
    KeyQueryMetadata metadata = metadata(executionArn);
    if (!metadata.activeHost().equals(self)) {
      throw new ProjectionUnavailableException("The execution's history moved to another instance");
    }
    int partition = metadata.partition();
    try {
      ReadOnlyKeyValueStore<Bytes, byte[]> history = store(ProjectorStores.HISTORY, partition);
      ReadOnlyKeyValueStore<String, ExecutionSummary> executions = store(ProjectorStores.EXECUTIONS, partition);
      return new ProjectionReader(() -> history, () -> executions, List::of);
    } catch (InvalidStateStoreException e) {
      throw new ProjectionUnavailableException("The execution's history is not readable here now: " + e.getMessage());
    }
  }

  private <K, V> ReadOnlyKeyValueStore<K, V> store(String name, Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters =
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
    return streams.store(partition == null ? parameters : parameters.withPartition(partition));
  }

  @Override
  public void close() {
    // Leaving the group at once lets the other instances (or a restart, or a rebuild) take the
    // partitions now rather than after the session timeout.
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
    barrier.close();
  }
}
