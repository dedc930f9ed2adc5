package io.stepstream.asl.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.ExecutionStateApplier;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryDriverTest {

  private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:double";

  @Test
  void shouldRunAWorkflowWithoutTasksToItsOutputAtTheFixedStartTime() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.a", "Next": "B"},
          "B": {"Type": "Pass", "OutputPath": "$.a", "End": true}}}""");

    ExecutionOutcome outcome = InMemoryDriver.create().run(definition, "{\"in\": true}");

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.outputJson()).isEqualTo(Json.parse("{\"x\": 1}"));
    assertThat(outcome.error()).isEmpty();
    assertThat(types(outcome)).containsExactly(HistoryEventType.ExecutionStarted,
        HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited,
        HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited, HistoryEventType.ExecutionSucceeded);
    assertThat(outcome.events()).allSatisfy(event ->
        assertThat(event.getTimestampMs()).isEqualTo(InMemoryDriver.DEFAULT_START_TIME_MS));
  }

  @Test
  void shouldNameTheExecutionWithAwsShapedArns() {
    InMemoryDriver driver = InMemoryDriver.builder().stateMachineName("orders").build();

    ExecutionOutcome outcome = driver.run(compile(PASS), "{}", "run-7", 42L);

    assertThat(outcome.state().getExecutionArn())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:orders:run-7");
    assertThat(outcome.state().getStateMachineArn())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
    assertThat(outcome.state().getRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/stepstream");
    assertThat(outcome.state().getName()).isEqualTo("run-7");
  }

  @Test
  void shouldAdvanceTheFakeClockToTheDueTimerWhenOnlyTimersRemain() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 90, "Next": "P"},
          "P": {"Type": "Pass", "End": true}}}""");
    InMemoryDriver driver = InMemoryDriver.builder().startTimeMs(1_000_000L).build();

    ExecutionOutcome outcome = driver.run(definition, "{}");

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    HistoryEvent waitExited = outcome.events().stream()
        .filter(e -> e.getType() == HistoryEventType.WaitStateExited).findFirst().orElseThrow();
    assertThat(waitExited.getTimestampMs()).isEqualTo(1_000_000L + 90_000L);
    assertThat(outcome.state().getStartTimeMs()).isEqualTo(1_000_000L);
    assertThat(outcome.state().getStopTimeMs()).isEqualTo(1_090_000L);
  }

  @Test
  void shouldRunDispatchedTasksThroughTheirHandlers() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(FUNCTION));
    InMemoryDriver driver = InMemoryDriver.builder()
        .task(FUNCTION, input -> Json.NODES.numberNode(input.get("n").intValue() * 2))
        .build();

    ExecutionOutcome outcome = driver.run(definition, "{\"n\": 21}");

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(outcome.output()).isEqualTo("42");
    assertThat(types(outcome)).contains(HistoryEventType.LambdaFunctionScheduled, HistoryEventType.LambdaFunctionSucceeded);
  }

  @Test
  void shouldFailTheTaskWithTheErrorAndCauseOfATaskFailure() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(FUNCTION));
    InMemoryDriver driver = InMemoryDriver.builder()
        .task(FUNCTION, input -> {
          throw new TaskFailure("Orders.OutOfStock", "no more widgets");
        })
        .build();

    ExecutionOutcome outcome = driver.run(definition, "{}");

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(outcome.error()).isEqualTo("Orders.OutOfStock");
    assertThat(outcome.cause()).isEqualTo("no more widgets");
    assertThat(types(outcome)).contains(HistoryEventType.LambdaFunctionFailed);
  }

  @Test
  void shouldReportAnUnexpectedHandlerExceptionAsATaskErrorNamedAfterItsClass() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(FUNCTION));
    InMemoryDriver driver = InMemoryDriver.builder()
        .task(FUNCTION, input -> {
          throw new IllegalArgumentException("bad order");
        })
        .build();

    ExecutionOutcome outcome = driver.run(definition, "{}");

    assertThat(outcome.error()).isEqualTo("IllegalArgumentException");
    assertThat(outcome.cause()).isEqualTo("bad order");
  }

  @Test
  void shouldRetryATaskAfterItsBackOffOnTheFakeClock() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "End": true,
                "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "MaxAttempts": 2}]}}}""".formatted(FUNCTION));
    List<Integer> calls = new ArrayList<>();
    InMemoryDriver driver = InMemoryDriver.builder()
        .task(FUNCTION, input -> {
          calls.add(calls.size());
          if (calls.size() < 3) {
            throw new TaskFailure("Busy", "try later");
          }
          return Json.NODES.textNode("done");
        })
        .build();

    ExecutionOutcome outcome = driver.run(definition, "{}");

    assertThat(outcome.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(calls).hasSize(3);
    // Back-offs of 3 s and 6 s (BackoffRate 2): the clock moved only through the retry timers.
    assertThat(outcome.state().getStopTimeMs() - outcome.state().getStartTimeMs()).isEqualTo(9_000L);
  }

  @Test
  void shouldEndALoopingWorkflowWithAClearErrorAtTheStepCap() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
          "P": {"Type": "Pass", "Next": "W"}}}""");
    InMemoryDriver driver = InMemoryDriver.builder().maxSteps(50).build();

    assertThatThrownBy(() -> driver.run(definition, "{}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("still running after 50 steps");
  }

  @Test
  void shouldRefuseATaskWhoseResourceHasNoHandler() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(FUNCTION));

    assertThatThrownBy(() -> InMemoryDriver.create().run(definition, "{}"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("or resource " + FUNCTION);
  }

  @Test
  void shouldEmitEventsWhoseFoldIsTheFinalState() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "W", "States": {
          "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
          "T": {"Type": "Task", "Resource": "%s", "End": true}}}""".formatted(FUNCTION));
    InMemoryDriver driver = InMemoryDriver.builder().task(FUNCTION, input -> input).build();

    ExecutionOutcome outcome = driver.run(definition, "{\"k\": [1, 2]}");

    ExecutionState folded = ExecutionState.getDefaultInstance();
    for (HistoryEvent event : outcome.events()) {
      folded = ExecutionStateApplier.apply(folded, event);
    }
    assertThat(folded).isEqualTo(outcome.state());
    assertThat(outcome.events()).extracting(HistoryEvent::getId)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, outcome.events().size()).boxed().toList());
  }

  @Test
  void shouldGiveTheSameEventsWhenRunTwice() {
    StateMachineDefinition definition = compile("""
        {"StartAt": "R", "States": {
          "R": {"Type": "Pass", "Parameters": {"r.$": "States.MathRandom(1, 1000000)", "u.$": "States.UUID()"},
                "Next": "W"},
          "W": {"Type": "Wait", "Seconds": 2, "End": true}}}""");
    InMemoryDriver driver = InMemoryDriver.create();

    ExecutionOutcome first = driver.run(definition, "{}", "same", 7L);
    ExecutionOutcome second = driver.run(definition, "{}", "same", 7L);

    assertThat(second.events()).isEqualTo(first.events());
    assertThat(second.state()).isEqualTo(first.state());
  }

  private static final String PASS = """
      {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""";

  private static StateMachineDefinition compile(String definition) {
    return DefinitionCompiler.compile(definition);
  }

  private static List<HistoryEventType> types(ExecutionOutcome outcome) {
    return outcome.events().stream().map(HistoryEvent::getType).toList();
  }
}
