package io.stepstream.projector;

import io.stepstream.kafka.ProtoSerde;
import io.stepstream.kafka.ReplyPartitioner;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.MapRunSnapshot;
import java.util.ArrayList;
import java.util.List;
import io.stepstream.proto.HistoryEventBatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The projector topology:
 *
 * <pre>
 *   standard.events ─┐
 *   express.events  ─┴▶ projection processor ── history, executions, listings, expiry stores
 *                          └─▶ replies (the outcome of commands an API caller waits for)
 *   maprun.status ───▶ map-run projection ── map-runs store (shared) ─▶ replies (UpdateMapRun)
 * </pre>
 *
 * <p>One source over every events topic: all are keyed by execution ARN and partitioned alike, so
 * task {@code 0_p} holds partition {@code p} of each, and an execution's every key space lives in
 * one task (queries route by the execution ARN). One factory for production and tests.
 */
public final class ProjectorTopology {

  /** Source node over the events topics. */
  public static final String EVENTS_SOURCE = "events-source";
  /** The projection processor node. */
  public static final String PROJECTION_PROCESSOR = "projection-processor";
  /** Sink node of command replies. */
  public static final String REPLIES_SINK = "replies-sink";
  /** Source node over the map-run snapshots. */
  public static final String MAP_RUNS_SOURCE = "map-run-status-source";
  /** The map-run projection node. */
  public static final String MAP_RUN_PROJECTION = "map-run-projection";
  /** Name of the summaries store (queried by execution ARN, which locates the owner of every key space). */
  public static final String EXECUTIONS_STORE = ProjectorStores.EXECUTIONS;

  private ProjectorTopology() {}

  /** Builds the topology, its read positions kept nowhere (tests). */
  public static Topology build(ProjectorSettings settings) {
    return build(settings, new ProjectedOffsets());
  }

  /**
   * Builds the topology.
   *
   * @param offsets where the projection records how far it has read the events topics
   */
  public static Topology build(ProjectorSettings settings, ProjectedOffsets offsets) {
    Topology topology = new Topology();
    topology.addSource(EVENTS_SOURCE, Serdes.String().deserializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).deserializer(), settings.eventTopics().toArray(String[]::new));
    topology.addProcessor(PROJECTION_PROCESSOR, () -> new ProjectionProcessor(settings, offsets), EVENTS_SOURCE);
    List<String> replySources = new ArrayList<>(List.of(PROJECTION_PROCESSOR));
    if (settings.mapRunStatusTopic() != null) {
      topology.addSource(MAP_RUNS_SOURCE, Serdes.String().deserializer(),
          new ProtoSerde<>(MapRunSnapshot.parser()).deserializer(), settings.mapRunStatusTopic());
      topology.addProcessor(MAP_RUN_PROJECTION, MapRunProjection::new, MAP_RUNS_SOURCE);
      replySources.add(MAP_RUN_PROJECTION);
    }
    // The map-runs store is shared with the projection processor (which records a run when its
    // parent's MapRunStarted arrives), so both sources are one sub-topology: task 0_p holds
    // partition p of the events and of the snapshots, all keyed by execution ARN.
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProjectorStores.MAP_RUNS),
        Serdes.String(), new ProtoSerde<>(MapRunSnapshot.parser())), replySources.toArray(String[]::new));
    if (settings.repliesTopic() != null) {
      // Each reply goes to the partition its caller follows.
      topology.addSink(REPLIES_SINK, settings.repliesTopic(), Serdes.String().serializer(),
          new ProtoSerde<>(CommandReply.parser()).serializer(), ReplyPartitioner.INSTANCE,
          replySources.toArray(String[]::new));
    }
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProjectorStores.HISTORY),
        Serdes.Bytes(), Serdes.ByteArray()), PROJECTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProjectorStores.EXECUTIONS),
        Serdes.String(), new ProtoSerde<>(ExecutionSummary.parser())), PROJECTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProjectorStores.LISTINGS),
        Serdes.Bytes(), Serdes.ByteArray()), PROJECTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ProjectorStores.EXPIRY),
        Serdes.Bytes(), Serdes.ByteArray()), PROJECTION_PROCESSOR);
    return topology;
  }
}
