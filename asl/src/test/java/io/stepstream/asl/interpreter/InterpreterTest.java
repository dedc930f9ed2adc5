package io.stepstream.asl.interpreter;

import static io.stepstream.proto.HistoryEventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionStatus;
import org.junit.jupiter.api.Test;

class InterpreterTest {

  @Test
  void shouldRunPassAndChoiceStatesToTheEndInOneCommand() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Result": {"n": 3}, "ResultPath": "$.r", "Next": "B"},
          "B": {"Type": "Choice", "Choices": [{"Variable": "$.r.n", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
          "Big": {"Type": "Pass", "Parameters": {"size": "big", "n.$": "$.r.n"}, "End": true},
          "Small": {"Type": "Succeed"}}}""");

    run.start("{\"x\": 1}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("{\"size\":\"big\",\"n\":3}"));
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, PassStateEntered, PassStateExited,
        ChoiceStateEntered, ChoiceStateExited, PassStateEntered, PassStateExited, ExecutionSucceeded);
  }

  /**
   * Two Map states and two Parallel states one after the other in one flow, all run in one command:
   * their iterations and branches have the same frame ids ("m0", "p0"), and each runs its own state's
   * processor or branch, not the one of the state before it.
   */
  @Test
  void shouldRunEachMapAndParallelWithItsOwnFlowsWhenTheyFollowEachOther() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.a",
                "ItemProcessor": {"StartAt": "InA", "States": {"InA": {"Type": "Pass", "Result": "a", "End": true}}},
                "Next": "B"},
          "B": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.b",
                "ItemProcessor": {"StartAt": "InB", "States": {"InB": {"Type": "Pass", "Result": "b", "End": true}}},
                "Next": "P"},
          "P": {"Type": "Parallel", "ResultPath": "$.p", "Next": "Q",
                "Branches": [{"StartAt": "InP", "States": {"InP": {"Type": "Pass", "Result": "p", "End": true}}}]},
          "Q": {"Type": "Parallel", "ResultPath": "$.q", "End": true,
                "Branches": [{"StartAt": "InQ", "States": {"InQ": {"Type": "Pass", "Result": "q", "End": true}}}]}}}""");

    run.start("{\"items\": [1, 2]}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(
        Json.parse("{\"items\":[1,2],\"a\":[\"a\",\"a\"],\"b\":[\"b\",\"b\"],\"p\":[\"p\"],\"q\":[\"q\"]}"));
  }

  /** The same after a Map and a Parallel whose flows failed and whose failure was caught. */
  @Test
  void shouldRunEachMapAndParallelWithItsOwnFlowsAfterCaughtFailures() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.a", "Next": "B",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.aError", "Next": "B"}],
                "ItemProcessor": {"StartAt": "InA", "States": {"InA": {"Type": "Fail", "Error": "A"}}}},
          "B": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.b", "Next": "P",
                "ItemProcessor": {"StartAt": "InB", "States": {"InB": {"Type": "Pass", "Result": "b", "End": true}}}},
          "P": {"Type": "Parallel", "ResultPath": "$.p", "Next": "Q",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.pError", "Next": "Q"}],
                "Branches": [{"StartAt": "InP", "States": {"InP": {"Type": "Fail", "Error": "P"}}},
                             {"StartAt": "InP2", "States": {"InP2": {"Type": "Fail", "Error": "P2"}}}]},
          "Q": {"Type": "Parallel", "ResultPath": "$.q", "End": true,
                "Branches": [{"StartAt": "InQ", "States": {"InQ": {"Type": "Pass", "Result": "q", "End": true}}},
                             {"StartAt": "InQ2", "States": {"InQ2": {"Type": "Pass", "Result": "q2", "End": true}}}]}}}""");

    run.start("{\"items\": [1, 2]}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    JsonNode output = Json.parse(run.state.getOutput());
    assertThat(output.get("aError").get("Error").asText()).isEqualTo("A");
    assertThat(output.get("b")).isEqualTo(Json.parse("[\"b\",\"b\"]"));
    assertThat(output.get("pError").get("Error").asText()).isIn("P", "P2");
    assertThat(output.get("q")).isEqualTo(Json.parse("[\"q\",\"q2\"]"));
  }

  @Test
  void shouldDispatchATaskAndContinueWithItsResult() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"v.$": "$.v"},
                "ResultSelector": {"doubled.$": "$.Payload"}, "ResultPath": "$.out", "End": true}}}""");

    run.start("{\"v\": 21}");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.effects).anySatisfy(e -> assertThat(e.getDispatchTask().getInput()).isEqualTo("{\"v\":21}"));

    run.succeedTask("{\"Payload\": 42}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("{\"v\":21,\"out\":{\"doubled\":42}}"));
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, TaskScheduled,
        TaskSucceeded, TaskStateExited, ExecutionSucceeded);
  }

  @Test
  void shouldRetryWithBackoffThenCatchIntoTheFallbackState() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fallback"}], "End": true},
          "Fallback": {"Type": "Pass", "End": true}}}""");

    run.start("{}");
    long started = run.now;
    run.failTask("Throttled", "slow down");
    assertThat(run.stateTimers()).singleElement().satisfies(t -> assertThat(t.getDueTimeMs()).isEqualTo(started + 2000));
    run.fireNextTimer().failTask("Throttled", "slow down");
    assertThat(run.stateTimers()).singleElement().satisfies(t -> assertThat(t.getDueTimeMs()).isEqualTo(started + 2000 + 6000));
    run.fireNextTimer().failTask("Throttled", "still slow");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput()))
        .isEqualTo(Json.parse("{\"error\":{\"Error\":\"Throttled\",\"Cause\":\"still slow\"}}"));
  }

  @Test
  void shouldTimeOutAnExecutionAtItsTimeoutSeconds() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "W", "TimeoutSeconds": 5, "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}""");

    run.start("{}");
    long started = run.now;
    run.fireNextTimer();

    assertThat(run.now).isEqualTo(started + 5_000);
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.TIMED_OUT);
    assertThat(run.state.getError()).isEqualTo("States.Timeout");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, WaitStateEntered, ExecutionTimedOut);
  }

  @Test
  void shouldCancelTheTimeLimitWhenTheExecutionEnds() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");

    run.start("{}");

    assertThat(run.effects).anySatisfy(e -> assertThat(e.getCancelTimer().getTimerId())
        .isEqualTo(run.timers.get(0).getTimerId()));
  }

  @Test
  void shouldWaitForTheTimerBeforeLeavingAWaitState() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}}""");

    run.start("{\"s\": 30}");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.stateTimers()).singleElement().satisfies(t -> assertThat(t.getDueTimeMs()).isEqualTo(run.now + 30_000));

    run.fireNextTimer();

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, WaitStateEntered, WaitStateExited, ExecutionSucceeded);
  }

  @Test
  void shouldCollectParallelBranchResultsInBranchOrderWhenTasksFinishOutOfOrder() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}}""");

    run.start("{}");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    run.succeedTask("\"a\"");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.state.getOutput()).isEqualTo("[\"a\",\"b\"]");
  }

  @Test
  void shouldBoundRunningMapIterationsByMaxConcurrency() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 2, "End": true,
          "ItemProcessor": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}}""");

    run.start("[1, 2, 3]");
    assertThat(run.effects.stream().filter(e -> e.hasDispatchTask()).count()).isEqualTo(2);
    run.succeedTask("10");
    assertThat(run.effects.stream().filter(e -> e.hasDispatchTask()).count()).isEqualTo(3);
    String third = run.lastTaskToken();
    String first = run.effects.stream().filter(e -> e.hasDispatchTask()).findFirst().orElseThrow().getDispatchTask().getTaskToken();
    run.send(io.stepstream.proto.Command.newBuilder().setReportTaskSucceeded(
        io.stepstream.proto.ReportTaskSucceeded.newBuilder().setTaskToken(first).setOutput("1")));
    run.send(io.stepstream.proto.Command.newBuilder().setReportTaskSucceeded(
        io.stepstream.proto.ReportTaskSucceeded.newBuilder().setTaskToken(third).setOutput("30")));

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.state.getOutput()).isEqualTo("[1,10,30]");
  }
}
