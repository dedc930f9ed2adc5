package io.stepstream.asl.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.proto.Command;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FireTimer;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayerTest {

  private static final String ARN = "arn:aws:states:us-east-1:123456789012:execution:machine:run-1";
  private static final String RECORDED = """
      {"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.work", "Next": "Pause"},
        "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Label"},
        "Label": {"Type": "Pass", "Result": "first", "ResultPath": "$.label", "End": true}}}""";

  private final Interpreter interpreter = new Interpreter(Limits.DEFAULT);
  private final Replayer replayer = new Replayer(interpreter);

  @Test
  void shouldFindARecordedHistoryDeterministic() {
    List<HistoryEventBatch> history = record(RECORDED);

    ReplayReport report = replayer.replay(DefinitionCompiler.compile(RECORDED), history);

    assertThat(report.deterministic()).isTrue();
    assertThat(report.batches()).isEqualTo(3);
    assertThat(report.state().getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(report.summary()).isEqualTo("deterministic (3 commands, " + report.events() + " events; SUCCEEDED)");
  }

  @Test
  void shouldReportTheFirstEventThatAChangedDefinitionProducesDifferently() {
    List<HistoryEventBatch> history = record(RECORDED);
    long labelExited = eventOf(history, HistoryEventType.PassStateExited).getId();

    ReplayReport report = replayer.replay(DefinitionCompiler.compile(RECORDED.replace("\"first\"", "\"second\"")), history);

    assertThat(report.deterministic()).isFalse();
    assertThat(report.divergence().eventId()).isEqualTo(labelExited);
    assertThat(report.divergence().command()).isEqualTo("FIRE_TIMER");
    assertThat(report.divergence().expected().getStateExitedEventDetails().getOutput()).contains("first");
    assertThat(report.divergence().produced().getStateExitedEventDetails().getOutput()).contains("second");
    assertThat(report.summary()).startsWith("diverged at event " + labelExited + " (command FIRE_TIMER): expected PassStateExited")
        .contains("first").contains("second");
    // The state still follows the recorded history.
    assertThat(report.state().getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(report.state().getOutput()).contains("first");
  }

  @Test
  void shouldReportWhereADefinitionWithAnotherFirstStateParts() {
    List<HistoryEventBatch> history = record(RECORDED);
    String withoutTask = """
        {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 10, "End": true}}}""";

    ReplayReport report = replayer.replay(DefinitionCompiler.compile(withoutTask), history);

    assertThat(report.divergence().eventId()).isEqualTo(2);
    assertThat(report.divergence().expected().getType()).isEqualTo(HistoryEventType.TaskStateEntered);
    assertThat(report.divergence().produced().getType()).isEqualTo(HistoryEventType.WaitStateEntered);
  }

  @Test
  void shouldGiveTheStateRightAfterAnEvent() {
    List<HistoryEventBatch> history = record(RECORDED);
    HistoryEvent scheduled = eventOf(history, HistoryEventType.TaskScheduled);

    ExecutionState state = Replayer.stateAt(history, scheduled.getId());

    assertThat(state.getLastEventId()).isEqualTo(scheduled.getId());
    assertThat(state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(state.getRoot().getStateName()).isEqualTo("Work");
    assertThat(state.getRoot().hasTask()).isTrue();
  }

  @Test
  void shouldRefuseAnEventTheHistoryDoesNotHave() {
    List<HistoryEventBatch> history = record(RECORDED);

    assertThatThrownBy(() -> Replayer.stateAt(history, 999)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no event 999");
  }

  /** Runs the definition as the coordinator would, recording one batch per command that produced events. */
  private List<HistoryEventBatch> record(String definitionJson) {
    StateMachineDefinition definition = DefinitionCompiler.compile(definitionJson);
    List<HistoryEventBatch> batches = new ArrayList<>();
    long now = 1_704_067_200_000L;
    Command start = Command.newBuilder().setTimeMs(now).setExecutionArn(ARN).setStartExecution(StartExecution.newBuilder()
        .setName("run-1").setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:machine")
        .setInput("{}").setSeed(7)).build();
    ExecutionState state = append(batches, interpreter.process(ExecutionState.getDefaultInstance(), start, definition), start);
    String token = state.getRoot().getTask().getTaskToken();
    Command result = Command.newBuilder().setTimeMs(now + 1_000).setExecutionArn(ARN)
        .setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(token).setOutput("{\"ok\":true}")).build();
    Step afterTask = interpreter.process(state, result, definition);
    state = append(batches, afterTask, result);
    TimerRef wait = afterTask.effects().stream().filter(Effect::hasStartTimer).map(e -> e.getStartTimer().getTimer())
        .filter(t -> t.getPurpose() == TimerPurpose.WAIT_END).findFirst().orElseThrow();
    Command fire = Command.newBuilder().setTimeMs(wait.getDueTimeMs()).setExecutionArn(ARN)
        .setFireTimer(FireTimer.newBuilder().setTimerId(wait.getTimerId())).build();
    append(batches, interpreter.process(state, fire, definition), fire);
    return batches;
  }

  private static ExecutionState append(List<HistoryEventBatch> batches, Step step, Command command) {
    assertThat(step.rejected()).isFalse();
    batches.add(HistoryEventBatch.newBuilder().addAllEvents(step.events()).setCommand(command).build());
    return step.state();
  }

  private static HistoryEvent eventOf(List<HistoryEventBatch> history, HistoryEventType type) {
    return history.stream().flatMap(b -> b.getEventsList().stream()).filter(e -> e.getType() == type)
        .findFirst().orElseThrow();
  }
}
