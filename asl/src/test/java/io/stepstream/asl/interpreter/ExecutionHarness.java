package io.stepstream.asl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.RedriveExecution;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.FireTimer;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.asl.replay.ReplayReport;
import io.stepstream.asl.replay.Replayer;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A test context for the interpreter: given a definition, when commands, then events, effects and
 * state. After every step it checks the two invariants: the state equals the fold of all events so
 * far, and the step is deterministic (processing the same command again gives the same result).
 */
final class ExecutionHarness {

  static final String ARN = "arn:aws:states:us-east-1:123456789012:execution:machine:run-1";

  private final Interpreter interpreter = new Interpreter(Limits.DEFAULT);
  private final StateMachineDefinition definition;
  final List<HistoryEvent> history = new ArrayList<>();
  final List<TimerRef> timers = new ArrayList<>();
  /** The history as the coordinator records it: one batch per command that produced events. */
  final List<HistoryEventBatch> batches = new ArrayList<>();
  final List<Effect> effects = new ArrayList<>();
  ExecutionState state = ExecutionState.getDefaultInstance();
  long now = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
  Step last;

  ExecutionHarness(String definitionJson) {
    this.definition = DefinitionCompiler.compile(definitionJson);
  }

  ExecutionHarness start(String input) {
    return send(Command.newBuilder().setStartExecution(StartExecution.newBuilder()
        .setName("run-1").setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:machine")
        .setInput(input).setRoleArn("arn:aws:iam::123456789012:role/r").setSeed(42)));
  }

  ExecutionHarness send(Command.Builder command) {
    Command built = command.setTimeMs(now).setExecutionArn(ARN).build();
    Step step = interpreter.process(state, built, definition);
    assertThat(interpreter.process(state, built, definition)).as("deterministic").isEqualTo(step);
    last = step;
    if (step.rejected()) {
      return this;
    }
    history.addAll(step.events());
    if (!step.events().isEmpty()) {
      batches.add(HistoryEventBatch.newBuilder().addAllEvents(step.events()).setCommand(built).build());
    }
    effects.addAll(step.effects());
    for (Effect effect : step.effects()) {
      if (effect.hasStartTimer()) {
        timers.add(effect.getStartTimer().getTimer());
      }
    }
    state = step.state();
    ExecutionState folded = ExecutionState.getDefaultInstance();
    for (HistoryEvent event : history) {
      folded = ExecutionStateApplier.apply(folded, event);
    }
    assertThat(folded).as("state is the fold of the history").isEqualTo(state);
    return this;
  }

  /** Replays the recorded batches through a fresh interpreter: it must produce the same history. */
  void assertReplaysDeterministically() {
    ReplayReport report = new Replayer(new Interpreter(Limits.DEFAULT)).replay(definition, batches);
    assertThat(report.summary()).startsWith("deterministic");
    assertThat(report.state()).isEqualTo(state);
  }

  /** Pending timers of states (waits, back-offs, task timeouts), without the execution's time limit. */
  List<TimerRef> stateTimers() {
    return timers.stream().filter(t -> t.getPurpose() != io.stepstream.proto.TimerPurpose.EXECUTION_TIMEOUT).toList();
  }

  /** Advances the clock to the earliest pending timer and fires it. */
  ExecutionHarness fireNextTimer() {
    TimerRef next = timers.stream().min(Comparator.comparingLong(TimerRef::getDueTimeMs)).orElseThrow();
    timers.remove(next);
    now = Math.max(now, next.getDueTimeMs());
    return send(Command.newBuilder().setFireTimer(FireTimer.newBuilder().setTimerId(next.getTimerId())));
  }

  ExecutionHarness succeedTask(String output) {
    return send(Command.newBuilder().setReportTaskSucceeded(
        ReportTaskSucceeded.newBuilder().setTaskToken(lastTaskToken()).setOutput(output)));
  }

  ExecutionHarness failTask(String error, String cause) {
    return send(Command.newBuilder().setReportTaskFailed(
        ReportTaskFailed.newBuilder().setTaskToken(lastTaskToken()).setError(error).setCause(cause)));
  }

  ExecutionHarness redrive(String clientToken) {
    return send(Command.newBuilder().setRedriveExecution(RedriveExecution.newBuilder().setClientToken(clientToken)));
  }

  ExecutionHarness stop() {
    return send(Command.newBuilder().setStopExecution(io.stepstream.proto.StopExecution.getDefaultInstance()));
  }

  /** The tokens of the tasks dispatched so far, in order. */
  List<DispatchTask> dispatched() {
    return effects.stream().filter(Effect::hasDispatchTask).map(Effect::getDispatchTask).toList();
  }

  ExecutionHarness succeedTask(String token, String output) {
    return send(Command.newBuilder().setReportTaskSucceeded(
        ReportTaskSucceeded.newBuilder().setTaskToken(token).setOutput(output)));
  }

  ExecutionHarness failTask(String token, String error, String cause) {
    return send(Command.newBuilder().setReportTaskFailed(
        ReportTaskFailed.newBuilder().setTaskToken(token).setError(error).setCause(cause)));
  }

  String lastTaskToken() {
    for (int i = effects.size() - 1; i >= 0; i--) {
      if (effects.get(i).hasDispatchTask()) {
        return effects.get(i).getDispatchTask().getTaskToken();
      }
    }
    throw new AssertionError("no task dispatched");
  }

  List<HistoryEventType> visibleTypes() {
    return history.stream().filter(HistoryView::isVisible).map(HistoryEvent::getType).toList();
  }
}
