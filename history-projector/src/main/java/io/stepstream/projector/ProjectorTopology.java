package io.stepstream.projector;

import io.stepstream.kafka.ProtoSerde;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionSummary;
import java.util.Optional;
import java.util.Set;
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
  /** Name of the summaries store (queried by execution ARN, which locates the owner of every key space). */
  public static final String EXECUTIONS_STORE = ProjectorStores.EXECUTIONS;

  private ProjectorTopology() {}

  /** Builds the topology. */
  public static Topology build(ProjectorSettings settings) {
    Topology topology = new Topology();
    topology.addSource(EVENTS_SOURCE, Serdes.String().deserializer(),
        new ProtoSerde<>(HistoryEventBatch.parser()).deserializer(), settings.eventTopics().toArray(String[]::new));
    topology.addProcessor(PROJECTION_PROCESSOR, () -> new ProjectionProcessor(settings), EVENTS_SOURCE);
    if (settings.repliesTopic() != null) {
      // Each reply goes to the partition its caller follows.
      topology.addSink(REPLIES_SINK, settings.repliesTopic(), Serdes.String().serializer(),
          new ProtoSerde<>(CommandReply.parser()).serializer(),
          (topic, key, reply, partitions) -> Optional.of(Set.of(Math.floorMod(((CommandReply) reply).getPartition(),
              partitions))), PROJECTION_PROCESSOR);
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
