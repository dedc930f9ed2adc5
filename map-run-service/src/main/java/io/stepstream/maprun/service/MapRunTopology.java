package io.stepstream.maprun.service;

import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.coordinator.registry.RegistryCopier;
import io.stepstream.kafka.ProtoSerde;
import io.stepstream.proto.Command;
import io.stepstream.proto.MapRunChild;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunSnapshot;
import io.stepstream.proto.MapRunState;
import io.stepstream.proto.StateMachineRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The map-run service topology:
 *
 * <pre>
 *   maprun.commands ──▶ map-run processor ──▶ standard.commands / express.commands (children, parents)
 *                        │ map-runs store     └─▶ maprun.status (snapshots for DescribeMapRun)
 *                        │ map-run-children store
 *   state-machines ──▶ global registry store (the Map state's ItemSelector)
 * </pre>
 */
public final class MapRunTopology {

  public static final String SOURCE = "map-run-commands-source";
  public static final String PROCESSOR = "map-run-processor";
  public static final String STANDARD_SINK = "standard-commands-sink";
  public static final String EXPRESS_SINK = "express-commands-sink";
  public static final String STATUS_SINK = "map-run-status-sink";

  private MapRunTopology() {}

  public static Topology build(MapRunTopics topics, MapRunIo io) {
    return build(topics, io, ExecutionMetrics.NONE);
  }

  /** @param metrics counts the map runs' items as they move */
  public static Topology build(MapRunTopics topics, MapRunIo io, ExecutionMetrics metrics) {
    Topology topology = new Topology();
    Definitions definitions = new Definitions();
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RegistryCopier.STORE), Serdes.String(),
            new ProtoSerde<>(StateMachineRecord.parser())).withLoggingDisabled(),
        "state-machines-source", Serdes.String().deserializer(),
        new ProtoSerde<>(StateMachineRecord.parser()).deserializer(), topics.stateMachines(),
        "state-machines-processor", () -> new RegistryCopier(definitions));
    topology.addSource(SOURCE, Serdes.String().deserializer(), new ProtoSerde<>(MapRunCommand.parser()).deserializer(),
        topics.commands());
    MapRunProcessor.Outputs outputs = new MapRunProcessor.Outputs(STANDARD_SINK, EXPRESS_SINK, STATUS_SINK);
    topology.addProcessor(PROCESSOR, () -> new MapRunProcessor(definitions, io, outputs, metrics), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MapRunProcessor.RUNS_STORE),
        Serdes.String(), new ProtoSerde<>(MapRunState.parser())), PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MapRunProcessor.CHILDREN_STORE),
        Serdes.String(), new ProtoSerde<>(MapRunChild.parser())), PROCESSOR);
    Serializer<String> keys = Serdes.String().serializer();
    topology.addSink(STANDARD_SINK, topics.standardCommands(), keys, new ProtoSerde<>(Command.parser()).serializer(),
        PROCESSOR);
    topology.addSink(EXPRESS_SINK, topics.expressCommands(), keys, new ProtoSerde<>(Command.parser()).serializer(),
        PROCESSOR);
    topology.addSink(STATUS_SINK, topics.status(), keys, new ProtoSerde<>(MapRunSnapshot.parser()).serializer(),
        PROCESSOR);
    return topology;
  }
}
