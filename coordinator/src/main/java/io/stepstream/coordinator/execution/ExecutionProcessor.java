package io.stepstream.coordinator.execution;

import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.coordinator.throttle.TransitionThrottle;
import io.stepstream.coordinator.registry.RegistryCopier;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.coordinator.timer.TimerStore;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FireTimer;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.MapRunChildEnded;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.asl.integration.NestedExecutionResult;
import io.stepstream.asl.logging.ExecutionLogRecords;
import io.stepstream.asl.logging.ExpressLogging;
import io.stepstream.asl.logging.LoggingConfiguration;
import io.stepstream.asl.tracing.ExecutionTracing;
import io.stepstream.coordinator.ExecutionTelemetry;
import io.stepstream.kafka.ExecutionLogDestinations;
import io.stepstream.proto.DispatchTask;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.ParentTask;
import io.stepstream.proto.RedriveMapRun;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StopMapRun;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.TimerRef;
import io.stepstream.proto.WorkflowType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plumbing around the interpreter: for each command, load the execution, advance it, store the new
 * state and forward its events and effects; every output of one command lands in the same Kafka
 * transaction (exactly-once on STANDARD). A wall-clock punctuator fires due timers the same way.
 *
 * <p>Nothing here blocks: work that needs a remote call is an effect (a task on the tasks topic).
 */
public final class ExecutionProcessor implements Processor<String, Command, String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionProcessor.class);

  private final Interpreter interpreter;
  private final ExecutionOutputs outputs;
  private final Duration timerInterval;
  private final int timersPerTick;
  private final int previousPartitions;
  private final ExecutionMetrics metrics;
  private final TransitionThrottle transitions;
  private Handover handover;
  private ProcessorContext<String, Object> context;
  /** Timer id of a parked StartExecution's next look at the registry. */
  static final String PARKED_START_TIMER = "@start";
  /** How long a start waits for its definition to reach this instance's registry copy. */
  static final long PARKED_START_LIMIT_MS = 5 * 60_000L;

  private ExecutionStore executions;
  private KeyValueStore<String, Command> parked;
  private TimerStore timers;
  private final Definitions definitions;
  private KeyValueStore<String, StateMachineRecord> registry;
  private ExpressLogging expressLogging;
  private final ExecutionTelemetry telemetry;
  /** Null when tracing is off: then nothing is computed for it. */
  private ExecutionTracing tracing;
  private Cancellable punctuation;

  /**
   * @param timerInterval how often due timers are looked for (wall clock)
   * @param timersPerTick at most this many timers fire per punctuation; the rest wait for the next
   * @param previousPartitions the partition count of the previous generation of the commands topic,
   *     0 for the first ({@link Handover})
   * @param metrics counts the events this processor emits and the timers it fires
   * @param telemetry where trace spans and execution log records go
   * @param transitions the StateTransition quota STANDARD executions' transitions wait for
   */
  public ExecutionProcessor(Interpreter interpreter, Definitions definitions, ExecutionOutputs outputs,
      Duration timerInterval, int timersPerTick, int previousPartitions, ExecutionMetrics metrics,
      ExecutionTelemetry telemetry, TransitionThrottle transitions) {
    this.telemetry = telemetry;
    this.transitions = transitions;
    this.previousPartitions = previousPartitions;
    this.metrics = metrics;
    this.interpreter = interpreter;
    this.definitions = definitions;
    this.outputs = outputs;
    this.timerInterval = timerInterval;
    this.timersPerTick = timersPerTick;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.executions = new ExecutionStore(context.getStateStore(ExecutionStore.NAME));
    KeyValueStore<Bytes, byte[]> timerStore = context.getStateStore(TimerStore.NAME);
    this.timers = new TimerStore(timerStore);
    this.registry = context.getStateStore(RegistryCopier.STORE);
    this.parked = context.getStateStore(PARKED_STORE);
    this.expressLogging = new ExpressLogging(registry::get);
    this.tracing = telemetry.spans() == null ? null : new ExecutionTracing(registry::get, telemetry.spans());
    this.handover = new Handover(context, context.getStateStore(Handover.STORE), executions, parked, timers,
        outputs.nextGenerationNode(), previousPartitions, this::handle);
    this.punctuation = context.schedule(timerInterval, PunctuationType.WALL_CLOCK_TIME, this::fireDueTimers);
  }

  @Override
  public void process(Record<String, Command> record) {
    if (record.key() == null || record.value() == null) {
      LOG.warn("Dropping a command without key or value");
      return;
    }
    if (!handover.take(record.key(), record.value())) {
      handle(record.key(), record.value());
    }
  }

  private void fireDueTimers(long nowMs) {
    if (handover.sealed()) {
      handover.handOverSome(nowMs);
      return;
    }
    List<TimerStore.DueTimer> due = timers.due(nowMs, timersPerTick);
    if (due.size() == timersPerTick) {
      metrics.timerScanSaturated();
    }
    for (TimerStore.DueTimer timer : due) {
      timers.remove(timer);
      metrics.timerFired(nowMs - timer.dueTimeMs());
      if (PARKED_START_TIMER.equals(timer.timerId())) {
        retryParkedStart(timer.executionArn(), nowMs);
        continue;
      }
      handle(timer.executionArn(), Command.newBuilder().setTimeMs(nowMs).setExecutionArn(timer.executionArn())
          .setFireTimer(FireTimer.newBuilder().setTimerId(timer.timerId())).build());
    }
  }

  private void handle(String executionArn, Command command) {
    ExecutionState state = executions.get(executionArn);
    StateMachineDefinition definition;
    if (command.hasStartExecution()) {
      definition = definitions.get(command.getStartExecution().getStateMachineArn(),
          command.getStartExecution().getStateMachineRevision(), registry::get);
    } else if (state.getStatus() == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
      LOG.debug("Refusing {} for unknown execution {}", command.getKindCase(), executionArn);
      answer(executionArn, command, CommandReplies.unknownExecution(command));
      return;
    } else {
      definition = definitions.get(state.getStateMachineArn(), state.getStateMachineRevision(), registry::get);
    }
    if (definition == null) {
      if (command.hasStartExecution()) {
        park(executionArn, command);
      } else {
        LOG.warn("No definition for {}; dropping {}", executionArn, command.getKindCase());
        answer(executionArn, command, CommandReplies.refused(command, "ServiceUnavailable",
            "The state machine of this execution is not available now; try again"));
      }
      return;
    }
    Step step = interpreter.process(state, command, definition);
    if (step.rejected()) {
      answer(executionArn, command, CommandReplies.refused(command, step.rejection().type(), step.rejection().message()));
      return;
    }
    if (step.events().isEmpty()) {
      answer(executionArn, command, CommandReplies.accepted(command, state, state));
      return;
    }
    ExecutionState next = step.state();
    if (next.getType() == WorkflowType.STANDARD) {
      int throttled = transitions.admit(ExecutionMetrics.transitions(step.events()));
      if (throttled > 0) {
        metrics.transitionsThrottled(next.getStateMachineArn(), throttled);
      }
    }
    metrics.recorded(next, step.events());
    // An EXPRESS execution that finished within this command needs no stored state: nothing can
    // address it any more, and EXPRESS keeps no durable history by default.
    boolean finishedExpress = next.getType() == WorkflowType.EXPRESS && next.getStatus() != ExecutionStatus.RUNNING
        && state.getStatus() == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED;
    if (!finishedExpress) {
      executions.put(executionArn, next);
    }
    long timestamp = command.getTimeMs();
    if (outputs.eventsNode() != null) {
      HistoryEventBatch.Builder batch;
      if (next.getType() == WorkflowType.EXPRESS) {
        // EXPRESS history is a log, kept only at the state machine's logging level; the
        // execution-level events reach the projection anyway so that DescribeExecution knows the
        // execution. Not for the first command of a StartSyncExecution (no reply address): its
        // caller gets the whole outcome in the response, and the EXPRESS fast path writes nothing
        // it does not need (an execution that ends there leaves no record, as before). A Distributed
        // Map's EXPRESS children (started by the map-run service, no reply address either) are
        // recorded: ListExecutions of their map run lists them and DescribeExecution describes them,
        // as on AWS.
        boolean syncStart = command.hasStartExecution() && !command.hasReplyTo()
            && command.getStartExecution().getMapRunArn().isEmpty();
        batch = expressLogging.batch(command, next.getStateMachineArn(), step.events(), !syncStart);
      } else {
        batch = HistoryEventBatch.newBuilder().setCommand(command).addAllEvents(step.events());
      }
      if (command.hasReplyTo() && outputs.repliesNode() == null) {
        batch.setReply(CommandReplies.accepted(command, state, next));
      }
      if (batch.getEventsCount() > 0 || batch.getSummaryEventsCount() > 0 || batch.hasReply()) {
        context.forward(new Record<>(executionArn, (Object) batch.build(), timestamp), outputs.eventsNode());
      }
      if (command.hasReplyTo() && outputs.repliesNode() != null) {
        reply(CommandReplies.accepted(command, state, next), timestamp);
      }
    }
    observe(executionArn, state, step.events(), next, timestamp);
    Map<String, String> traceparents = tracing == null || !hasDispatch(step.effects()) ? Map.of()
        : tracing.taskTraceparents(next);
    // A timer started and cancelled by the same command (the time limit of an execution that finished
    // at once) never touches the store: no put, no tombstone.
    Set<String> started = new HashSet<>();
    Set<String> cancelled = new HashSet<>();
    for (Effect effect : step.effects()) {
      if (effect.hasStartTimer()) {
        started.add(effect.getStartTimer().getTimer().getTimerId());
      } else if (effect.hasCancelTimer()) {
        cancelled.add(effect.getCancelTimer().getTimerId());
      }
    }
    for (Effect effect : step.effects()) {
      switch (effect.getKindCase()) {
        case DISPATCH_TASK -> context.forward(new Record<>(executionArn, (Object) traced(effect.getDispatchTask(),
            traceparents), timestamp), outputs.tasksNode());
        case START_TIMER -> {
          TimerRef timer = effect.getStartTimer().getTimer();
          if (!cancelled.contains(timer.getTimerId())) {
            timers.add(timer.getDueTimeMs(), executionArn, timer.getTimerId());
          }
        }
        case CANCEL_TIMER -> {
          if (!started.contains(effect.getCancelTimer().getTimerId())) {
            timers.remove(new TimerStore.DueTimer(effect.getCancelTimer().getDueTimeMs(), executionArn,
                effect.getCancelTimer().getTimerId()));
          }
        }
        case REPORT_COMPLETION -> {
          context.forward(new Record<>(executionArn, (Object) effect.getReportCompletion(), timestamp),
              outputs.completionsNode());
          if (!next.getMapRunArn().isEmpty()) {
            reportToMapRun(next, effect.getReportCompletion(), timestamp);
          }
          // States recorded before the interpreter set the parent task only when there is one
          // carry an empty one: no parent to report to.
          if (!next.getParentTask().getExecutionArn().isEmpty()) {
            reportToParent(next, effect.getReportCompletion(), timestamp);
          }
        }
        case START_MAP_RUN -> context.forward(new Record<>(effect.getStartMapRun().getMapRunArn(),
            (Object) MapRunCommand.newBuilder().setTimeMs(timestamp).setMapRunArn(effect.getStartMapRun().getMapRunArn())
                .setStart(effect.getStartMapRun()).build(), timestamp), outputs.mapRunsNode());
        case REDRIVE_MAP_RUN -> context.forward(new Record<>(effect.getRedriveMapRun().getMapRunArn(),
            (Object) MapRunCommand.newBuilder().setTimeMs(timestamp).setMapRunArn(effect.getRedriveMapRun().getMapRunArn())
                .setRedrive(RedriveMapRun.newBuilder().setRedriveCount(effect.getRedriveMapRun().getRedriveCount()))
                .build(), timestamp), outputs.mapRunsNode());
        case STOP_MAP_RUN -> context.forward(new Record<>(effect.getStopMapRun().getMapRunArn(),
            (Object) MapRunCommand.newBuilder().setTimeMs(timestamp).setMapRunArn(effect.getStopMapRun().getMapRunArn())
                .setStop(StopMapRun.newBuilder().setError(effect.getStopMapRun().getError())
                    .setCause(effect.getStopMapRun().getCause())).build(), timestamp), outputs.mapRunsNode());
        case KIND_NOT_SET -> throw new IllegalStateException("effect without a kind");
      }
    }
  }

  /**
   * Tells the outside what one command did: the spans it ended (traced state machines) and the log
   * records of its events (state machines with a loggingConfiguration). Log records bound for a
   * topic are written in the command's transaction; lines on a file or stdout are written at once,
   * so a command processed again after a crash may write them twice.
   */
  private void observe(String executionArn, ExecutionState before, List<HistoryEvent> events, ExecutionState next,
      long timestamp) {
    if (tracing != null) {
      tracing.observe(before, next, events, timestamp);
    }
    if (telemetry.logs() == null) {
      return;
    }
    LoggingConfiguration configuration = expressLogging.configuration(next.getStateMachineArn());
    List<String> records = ExecutionLogRecords.records(configuration, executionArn, next.getRedriveCount(), events);
    if (records.isEmpty()) {
      return;
    }
    switch (telemetry.logs().destination(configuration.logGroupName())) {
      case ExecutionLogDestinations.Topic topic -> {
        Headers headers = new RecordHeaders().add(ExecutionLogDestinations.logGroupHeader(configuration.logGroupName()));
        for (String record : records) {
          context.forward(new Record<>(executionArn, (Object) new LogLine(topic.name(),
              record.getBytes(StandardCharsets.UTF_8)), timestamp, headers), outputs.logsNode());
        }
      }
      case ExecutionLogDestinations.Lines lines -> lines.write(records);
    }
  }

  private static boolean hasDispatch(List<Effect> effects) {
    for (Effect effect : effects) {
      if (effect.hasDispatchTask()) {
        return true;
      }
    }
    return false;
  }

  /** The task with its span's traceparent, when its execution is traced. */
  private static DispatchTask traced(DispatchTask task, Map<String, String> traceparents) {
    String traceparent = traceparents.get(task.getTaskToken());
    return traceparent == null ? task : task.toBuilder().setTraceparent(traceparent).build();
  }

  /** An execution log record bound for a topic (the topic is not written, only the JSON). */
  public record LogLine(String topic, byte[] json) {}

  /**
   * A {@code .sync} child ended: the parent's waiting task gets the result in the same transaction,
   * so it arrives whatever happened to the worker that started the child.
   */
  private void reportToParent(ExecutionState child, ReportCompletion completion, long timestamp) {
    ParentTask parent = child.getParentTask();
    String result = Json.write(NestedExecutionResult.describe(child.getExecutionArn(), child.getStateMachineArn(),
        child.getName(), child.getInput(), completion.getStatus(), completion.getOutput(), completion.getError(),
        completion.getCause(), completion.getStartTimeMs(), completion.getStopTimeMs(), parent.getJson()));
    Command.Builder report = Command.newBuilder().setTimeMs(timestamp).setExecutionArn(parent.getExecutionArn())
        .setCommandId(MapRunNames.uuid("sync:" + child.getExecutionArn() + "#" + child.getRedriveCount()));
    if (completion.getStatus() == ExecutionStatus.SUCCEEDED) {
      report.setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(parent.getTaskToken()).setOutput(result));
    } else {
      report.setReportTaskFailed(ReportTaskFailed.newBuilder().setTaskToken(parent.getTaskToken())
          .setError(NestedExecutionResult.TASK_FAILED).setCause(result));
    }
    context.forward(new Record<>(parent.getExecutionArn(), (Object) report.build(), timestamp),
        ExecutionArn.isExpress(parent.getExecutionArn()) ? outputs.expressCommandsNode() : outputs.standardCommandsNode());
  }

  /** A Distributed Map's child ended: its map run hears of it in the same transaction. */
  private void reportToMapRun(ExecutionState child, ReportCompletion completion, long timestamp) {
    MapRunChildEnded ended = MapRunChildEnded.newBuilder().setChildIndex(child.getMapRunChildIndex())
        .setExecutionArn(child.getExecutionArn()).setStatus(completion.getStatus()).setOutput(completion.getOutput())
        .setError(completion.getError()).setCause(completion.getCause())
        .setStartTimeMs(completion.getStartTimeMs()).setStopTimeMs(completion.getStopTimeMs()).build();
    context.forward(new Record<>(child.getMapRunArn(), (Object) MapRunCommand.newBuilder().setTimeMs(timestamp)
        .setMapRunArn(child.getMapRunArn()).setChildEnded(ended).build(), timestamp), outputs.mapRunsNode());
  }

  /**
   * Sends the outcome of a command that changed nothing to the caller waiting for it: straight to the
   * replies topic when this application answers there, else through the events topic, where the
   * projector delivers it once it has read everything before it.
   */
  private void answer(String executionArn, Command command, CommandReply reply) {
    if (!command.hasReplyTo() || outputs.eventsNode() == null) {
      return;
    }
    if (outputs.repliesNode() != null) {
      reply(reply, command.getTimeMs());
      return;
    }
    context.forward(new Record<>(executionArn, (Object) HistoryEventBatch.newBuilder().setCommand(command)
        .setReply(reply).build(), command.getTimeMs()), outputs.eventsNode());
  }

  /**
   * Answers the caller in this command's transaction: the reply becomes visible only once the events
   * before it are committed, and a read that begins after the answer waits for the projection to
   * hold everything committed before it began.
   */
  private void reply(CommandReply reply, long timestamp) {
    context.forward(new Record<>(reply.getRequestId(), (Object) reply, timestamp), outputs.repliesNode());
  }

  /**
   * The gateway accepts a start once its own registry view has the state machine; this instance's
   * global store may be a moment behind. The start waits here (durably, without blocking the thread)
   * and is retried until the definition arrives.
   */
  private void park(String executionArn, Command command) {
    if (parked.get(executionArn) == null) {
      LOG.debug("Parking the start of {} until its definition arrives", executionArn);
      parked.put(executionArn, command);
      timers.add(context.currentSystemTimeMs() + 100, executionArn, PARKED_START_TIMER);
    }
  }

  private void retryParkedStart(String executionArn, long nowMs) {
    Command command = parked.get(executionArn);
    if (command == null) {
      return;
    }
    StartExecution start = command.getStartExecution();
    if (definitions.get(start.getStateMachineArn(), start.getStateMachineRevision(), registry::get) != null) {
      parked.delete(executionArn);
      handle(executionArn, command);
    } else if (nowMs - command.getTimeMs() > PARKED_START_LIMIT_MS) {
      parked.delete(executionArn);
      LOG.error("Dropping the start of {}: state machine {} revision {} never reached the registry", executionArn,
          start.getStateMachineArn(), start.getStateMachineRevision());
    } else {
      timers.add(nowMs + Math.min(1_000, Math.max(100, (nowMs - command.getTimeMs()) / 2)), executionArn,
          PARKED_START_TIMER);
    }
  }

  @Override
  public void close() {
    if (punctuation != null) {
      punctuation.cancel();
    }
  }

  /** Store of starts waiting for their definition. */
  public static final String PARKED_STORE = "parked-starts";

  /**
   * The names of the sink nodes the processor forwards to.
   *
   * @param repliesNode where answers to API writes go directly, or null to send them with the events
   *     (see {@link io.stepstream.coordinator.CoordinatorTopics#replies})
   */
  public record ExecutionOutputs(String eventsNode, String tasksNode, String completionsNode, String mapRunsNode,
      String standardCommandsNode, String expressCommandsNode, String nextGenerationNode, String logsNode,
      String repliesNode) {}
}
