package io.stepstream.coordinator.topology;

import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.coordinator.CoordinatorTopics;
import io.stepstream.coordinator.ExecutionTelemetry;
import io.stepstream.coordinator.execution.ExecutionProcessor;
import io.stepstream.coordinator.execution.ExecutionStore;
import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.coordinator.throttle.TransitionThrottle;
import io.stepstream.kafka.ProtoSerde;
import io.stepstream.kafka.ReplyPartitioner;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.coordinator.registry.RegistryCopier;
import io.stepstream.coordinator.timer.TimerStore;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.coordinator.execution.Handover;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The coordinator topology:
 *
 * <pre>
 *   commands ──▶ execution processor ──▶ events       (history event batches)
 *                 │  executions store    ├─▶ tasks        (DispatchTask)
 *                 │  timers store        ├─▶ completions  (ReportCompletion)
 *                 │                      ├─▶ maprun.commands (map runs started/stopped, children ended)
 *                 │                      ├─▶ standard/express.commands (a .sync child's end, to its parent)
 *                 │                      ├─▶ execution log topics (loggingConfiguration, by log group)
 *                 │  handover store      └─▶ the next generation's commands (once sealed: Handover)
 *   state-machines ──▶ global registry store (read by the processor)
 * </pre>
 *
 * One factory for production and tests. STANDARD and EXPRESS each run this topology in their own
 * Kafka Streams application (exactly_once_v2 and at_least_once), on their own topics.
 */
public final class ExecutionTopology {

  public static final String COMMANDS_SOURCE = "commands-source";
  public static final String EXECUTION_PROCESSOR = "execution-processor";
  public static final String EVENTS_SINK = "events-sink";
  public static final String TASKS_SINK = "tasks-sink";
  public static final String COMPLETIONS_SINK = "completions-sink";
  public static final String MAP_RUNS_SINK = "map-runs-sink";
  public static final String STANDARD_COMMANDS_SINK = "standard-commands-sink";
  public static final String EXPRESS_COMMANDS_SINK = "express-commands-sink";
  public static final String NEXT_GENERATION_SINK = "next-generation-sink";
  public static final String LOGS_SINK = "execution-logs-sink";
  public static final String REPLIES_SINK = "replies-sink";
  public static final String REGISTRY_SOURCE = "state-machines-source";
  public static final String REGISTRY_PROCESSOR = "state-machines-processor";

  /** Timers are looked for this often. */
  public static final Duration TIMER_INTERVAL = Duration.ofMillis(100);
  /** At most this many timers fire per punctuation, so one tick cannot stall the stream thread. */
  public static final int TIMERS_PER_TICK = 1_000;

  private ExecutionTopology() {}

  /** The topology of the first generation of the commands topic. */
  public static Topology build(CoordinatorTopics topics, Interpreter interpreter) {
    return build(topics, interpreter, 0, ExecutionMetrics.NONE, ExecutionTelemetry.none());
  }

  /**
   * @param previousPartitions the previous generation's partition count, 0 for the first generation
   *     (see {@link Handover})
   * @param metrics counts the executions' events and the timers
   * @param telemetry where trace spans and execution log records go
   */
  public static Topology build(CoordinatorTopics topics, Interpreter interpreter, int previousPartitions,
      ExecutionMetrics metrics, ExecutionTelemetry telemetry) {
    return build(topics, interpreter, previousPartitions, metrics, telemetry, TransitionThrottle.NONE);
  }

  /**
   * The topology with the account's StateTransition quota.
   *
   * @param transitions the quota STANDARD executions' transitions wait for ({@link TransitionThrottle#NONE}:
   *     none)
   */
  public static Topology build(CoordinatorTopics topics, Interpreter interpreter, int previousPartitions,
      ExecutionMetrics metrics, ExecutionTelemetry telemetry, TransitionThrottle transitions) {
    Topology topology = new Topology();
    Definitions definitions = new Definitions();
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RegistryCopier.STORE), Serdes.String(),
            new ProtoSerde<>(StateMachineRecord.parser())).withLoggingDisabled(),
        REGISTRY_SOURCE, Serdes.String().deserializer(), new ProtoSerde<>(StateMachineRecord.parser()).deserializer(),
        topics.stateMachines(), REGISTRY_PROCESSOR, () -> new RegistryCopier(definitions));

    topology.addSource(COMMANDS_SOURCE, Serdes.String().deserializer(),
        new ProtoSerde<>(Command.parser()).deserializer(), topics.commands());
    ExecutionProcessor.ExecutionOutputs outputs = new ExecutionProcessor.ExecutionOutputs(
        topics.events() == null ? null : EVENTS_SINK, TASKS_SINK, COMPLETIONS_SINK, MAP_RUNS_SINK,
        STANDARD_COMMANDS_SINK, EXPRESS_COMMANDS_SINK, NEXT_GENERATION_SINK, LOGS_SINK,
        topics.events() == null || topics.replies() == null ? null : REPLIES_SINK);
    topology.addProcessor(EXECUTION_PROCESSOR,
        () -> new ExecutionProcessor(interpreter, definitions, outputs, TIMER_INTERVAL, TIMERS_PER_TICK,
        previousPartitions, metrics, telemetry, transitions), COMMANDS_SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ExecutionStore.NAME),
        Serdes.String(), new ProtoSerde<>(ExecutionState.parser())), EXECUTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TimerStore.NAME),
        Serdes.Bytes(), Serdes.ByteArray()), EXECUTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ExecutionProcessor.PARKED_STORE),
        Serdes.String(), new ProtoSerde<>(Command.parser())), EXECUTION_PROCESSOR);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Handover.STORE),
        Serdes.String(), new ProtoSerde<>(Command.parser())), EXECUTION_PROCESSOR);

    Serializer<String> keys = Serdes.String().serializer();
    if (topics.events() != null) {
      topology.addSink(EVENTS_SINK, topics.events(), keys, new ProtoSerde<>(HistoryEventBatch.parser()).serializer(),
          EXECUTION_PROCESSOR);
    }
    if (topics.events() != null && topics.replies() != null) {
      topology.addSink(REPLIES_SINK, topics.replies(), keys, new ProtoSerde<>(CommandReply.parser()).serializer(),
          ReplyPartitioner.INSTANCE, EXECUTION_PROCESSOR);
    }
    topology.addSink(TASKS_SINK, topics.tasks(), keys, new ProtoSerde<>(DispatchTask.parser()).serializer(),
        EXECUTION_PROCESSOR);
    topology.addSink(COMPLETIONS_SINK, topics.completions(), keys,
        new ProtoSerde<>(ReportCompletion.parser()).serializer(), EXECUTION_PROCESSOR);
    topology.addSink(MAP_RUNS_SINK, topics.mapRunCommands(), keys,
        new ProtoSerde<>(MapRunCommand.parser()).serializer(), EXECUTION_PROCESSOR);
    topology.addSink(STANDARD_COMMANDS_SINK, topics.standardCommands(), keys,
        new ProtoSerde<>(Command.parser()).serializer(), EXECUTION_PROCESSOR);
    topology.addSink(EXPRESS_COMMANDS_SINK, topics.expressCommands(), keys,
        new ProtoSerde<>(Command.parser()).serializer(), EXECUTION_PROCESSOR);
    // A sealed partition's handover: to the topic its header names; control records to every partition.
    StreamPartitioner<String, Command> multicastControl = (topic, key, value, numPartitions) ->
        Handover.CONTROL_KEY.equals(key)
            ? Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()))
            : Optional.empty();
    TopicNameExtractor<String, Command> headerTopic = (key, value, context) ->
        new String(context.headers().lastHeader(Handover.TOPIC_HEADER).value(), StandardCharsets.UTF_8);
    topology.addSink(NEXT_GENERATION_SINK, headerTopic, keys, new ProtoSerde<>(Command.parser()).serializer(),
        multicastControl, EXECUTION_PROCESSOR);
    // Execution log records: to the topic of their log group's destination (ExecutionLogDestinations).
    TopicNameExtractor<String, ExecutionProcessor.LogLine> logTopic = (key, value, context) -> value.topic();
    Serializer<ExecutionProcessor.LogLine> logLine = (topic, line) -> line.json();
    topology.addSink(LOGS_SINK, logTopic, keys, logLine, EXECUTION_PROCESSOR);
    return topology;
  }
}
