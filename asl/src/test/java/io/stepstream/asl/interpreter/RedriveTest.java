package io.stepstream.asl.interpreter;

import static io.stepstream.proto.HistoryEventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.WorkflowType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedriveTest {

  private static final String TASK = "arn:aws:states:::lambda:invoke.waitForTaskToken";

  @Test
  void shouldDispatchTheFailedTaskAgainAndSucceedWithoutRerunningWhatSucceeded() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Prepare", "States": {
          "Prepare": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.prepared", "Next": "Work"},
          "Work": {"Type": "Task", "Resource": "%s", "Parameters": {"n.$": "$.prepared.n", "count.$": "$$.Execution.RedriveCount"},
                   "ResultPath": "$.result", "End": true}}}""".formatted(TASK));
    run.start("{}").failTask("Boom", "it broke");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    long redrivenAt = run.now += 60_000;

    run.redrive("token-1");

    assertThat(run.last.rejected()).isFalse();
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.state.getRedriveCount()).isEqualTo(1);
    assertThat(run.state.getRedriveTimeMs()).isEqualTo(redrivenAt);
    assertThat(run.dispatched()).hasSize(2);
    DispatchTask again = run.dispatched().get(1);
    assertThat(again.getStateName()).isEqualTo("Work");
    assertThat(Json.parse(again.getInput())).isEqualTo(Json.parse("{\"n\":1,\"count\":1}"));

    run.succeedTask(again.getTaskToken(), "\"done\"");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("{\"prepared\":{\"n\":1},\"result\":\"done\"}"));
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, PassStateEntered, PassStateExited,
        TaskStateEntered, TaskScheduled, TaskFailed, ExecutionFailed,
        ExecutionRedriven, TaskStateEntered, TaskScheduled, TaskSucceeded, TaskStateExited, ExecutionSucceeded);
    HistoryEvent redriven = run.history.stream().filter(e -> e.getType() == ExecutionRedriven).findFirst().orElseThrow();
    assertThat(redriven.getExecutionRedrivenEventDetails().getRedriveCount()).isEqualTo(1);
  }

  @Test
  void shouldRunOnlyTheFailedBranchOfAParallelAgain() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Both", "States": {
          "Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": "%1$s", "End": true}}},
            {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "%1$s", "End": true}}}]}}}"""
        .formatted(TASK));
    run.start("{}");
    List<DispatchTask> first = run.dispatched();
    assertThat(first).extracting(DispatchTask::getStateName).containsExactly("Left", "Right");
    run.succeedTask(first.get(0).getTaskToken(), "\"left\"").failTask(first.get(1).getTaskToken(), "Boom", "");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);

    run.redrive("");

    assertThat(run.dispatched()).hasSize(3);
    DispatchTask again = run.dispatched().get(2);
    assertThat(again.getStateName()).isEqualTo("Right");
    run.succeedTask(again.getTaskToken(), "\"right\"");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("[\"left\",\"right\"]"));
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldRunOnlyTheFailedIterationsOfAMapAgain() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Each", "States": {
          "Each": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "%s", "End": true}}}}}}""".formatted(TASK));
    run.start("[0, 1, 2, 3]");
    List<DispatchTask> first = run.dispatched();
    assertThat(first).hasSize(4);
    run.succeedTask(first.get(0).getTaskToken(), "\"r0\"")
        .succeedTask(first.get(2).getTaskToken(), "\"r2\"")
        .failTask(first.get(1).getTaskToken(), "Boom", "");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);

    run.redrive("");

    // Iteration 1 failed; iteration 3 was still running when the Map failed: both run again.
    List<DispatchTask> again = run.dispatched().subList(4, run.dispatched().size());
    assertThat(again).extracting(DispatchTask::getInput).containsExactlyInAnyOrder("1", "3");
    for (DispatchTask task : again) {
      run.succeedTask(task.getTaskToken(), "\"r" + task.getInput() + "\"");
    }

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("[\"r0\",\"r1\",\"r2\",\"r3\"]"));
    // The failed iteration starts again; the one still running when the Map failed re-enters its state.
    assertThat(run.visibleTypes().stream().filter(t -> t == MapIterationStarted).count()).isEqualTo(4 + 1);
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldRedriveAFailedIterationThenStartTheItemsNeverStartedUnderMaxConcurrency() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Each", "States": {
          "Each": {"Type": "Map", "MaxConcurrency": 1, "End": true, "ItemProcessor": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "%s", "End": true}}}}}}""".formatted(TASK));
    run.start("[0, 1, 2]");
    run.succeedTask("\"r0\"").failTask("Boom", "");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.dispatched()).extracting(DispatchTask::getInput).containsExactly("0", "1");

    run.redrive("");
    assertThat(run.dispatched()).extracting(DispatchTask::getInput).containsExactly("0", "1", "1");
    run.succeedTask("\"r1\"");
    assertThat(run.dispatched()).extracting(DispatchTask::getInput).containsExactly("0", "1", "1", "2");
    run.succeedTask("\"r2\"");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("[\"r0\",\"r1\",\"r2\"]"));
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldRedriveTheFailedStateInsideAParallelNestedInAMapIteration() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Each", "States": {
          "Each": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "Both", "States": {
            "Both": {"Type": "Parallel", "End": true, "Branches": [
              {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "%1$s", "End": true}}},
              {"StartAt": "B0", "States": {"B0": {"Type": "Pass", "Next": "B"},
                                           "B": {"Type": "Task", "Resource": "%1$s", "End": true}}}]}}}}}}"""
        .formatted(TASK));
    run.start("[\"x\"]");
    List<DispatchTask> first = run.dispatched();
    run.succeedTask(first.get(0).getTaskToken(), "\"a\"").failTask(first.get(1).getTaskToken(), "Boom", "");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);

    run.redrive("");

    assertThat(run.dispatched()).hasSize(3);
    assertThat(run.dispatched().get(2).getStateName()).isEqualTo("B");
    run.succeedTask("\"b\"");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("[[\"a\",\"b\"]]"));
    assertThat(run.visibleTypes().stream().filter(t -> t == PassStateEntered).count()).isEqualTo(1);
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldRedriveAnAbortedExecutionAndNoLongerAcceptTheOldTaskToken() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(TASK));
    run.start("{}");
    String oldToken = run.lastTaskToken();
    run.stop();
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.ABORTED);

    run.redrive("");
    String newToken = run.lastTaskToken();
    assertThat(newToken).isNotEqualTo(oldToken);
    run.succeedTask(oldToken, "1");
    assertThat(run.last.rejection().type()).isEqualTo("TaskTimedOut");
    run.succeedTask(newToken, "2");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.state.getOutput()).isEqualTo("2");
  }

  @Test
  void shouldRestartTheTimeLimitOfATimedOutExecution() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Work", "TimeoutSeconds": 5, "States": {"Work": {"Type": "Task", "Resource": "%s", "End": true}}}"""
        .formatted(TASK));
    run.start("{}").fireNextTimer();
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.TIMED_OUT);
    run.now += 1_000;

    run.redrive("");

    assertThat(run.timers).filteredOn(t -> t.getPurpose() == TimerPurpose.EXECUTION_TIMEOUT)
        .singleElement().satisfies(t -> assertThat(t.getDueTimeMs()).isEqualTo(run.now + 5_000));
    run.succeedTask("{}");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.last.effects()).anySatisfy(e -> assertThat(e.getCancelTimer().getTimerId())
        .isEqualTo(run.state.getExecutionTimerId()));
  }

  @Test
  void shouldGiveTheRetriesOfAStateAnewAfterARedrive() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "%s", "End": true,
          "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}]}}}""".formatted(TASK));
    run.start("{}").failTask("Boom", "").fireNextTimer().failTask("Boom", "");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);

    run.redrive("").failTask("Boom", "");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.last.events()).extracting(HistoryEvent::getType).contains(RetryScheduled);
  }

  @Test
  void shouldTreatTheSameClientTokenAsTheSameRedrive() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(TASK));
    run.start("{}").failTask("Boom", "").redrive("abc");
    int events = run.history.size();

    run.redrive("abc");
    assertThat(run.last.rejected()).isFalse();
    assertThat(run.history).hasSize(events);
    run.failTask("Boom", "again");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    run.redrive("abc");
    assertThat(run.last.rejected()).isFalse();
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);

    run.redrive("other");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.state.getRedriveCount()).isEqualTo(2);
    run.redrive("third");
    assertThat(run.last.rejection()).isEqualTo(new Step.Rejection("ExecutionNotRedrivable",
        "Execution is RUNNING and cannot be redriven."));
  }

  @Test
  void shouldRefuseToRedriveASucceededExecution() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");
    run.start("{}").redrive("");

    assertThat(run.last.rejection()).isEqualTo(new Step.Rejection("ExecutionNotRedrivable",
        "Execution is SUCCEEDED and cannot be redriven."));
  }

  @Test
  void shouldRefuseToRedriveAfterFourteenDays() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}""");
    run.start("{}");
    run.now += Redrivability.REDRIVABLE_PERIOD_MS + 1;
    run.redrive("");

    assertThat(run.last.rejection()).isEqualTo(new Step.Rejection("ExecutionNotRedrivable",
        "Execution redrivable period exceeded."));
  }

  @Test
  void shouldRefuseToRedriveAnExpressExecution() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}""");
    run.send(Command.newBuilder().setStartExecution(StartExecution.newBuilder().setName("run-1")
        .setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:machine").setInput("{}")
        .setType(WorkflowType.EXPRESS)));
    run.redrive("");

    assertThat(run.last.rejection().type()).isEqualTo("ExecutionNotRedrivable");
  }

  @Test
  void shouldRefuseToRedriveAnExecutionThatDoesNotExist() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}""");
    run.redrive("");

    assertThat(run.last.rejection().type()).isEqualTo("ExecutionDoesNotExist");
  }

  @Test
  void shouldFailAgainWhenTheRedrivenStateFailsAgain() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}""");
    run.start("{}").redrive("");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getRedriveCount()).isEqualTo(1);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, FailStateEntered, ExecutionFailed,
        ExecutionRedriven, FailStateEntered, ExecutionFailed);
  }
}
