package io.stepstream.asl.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.ExecutionStateApplier;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.proto.Command;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Spans derived from an execution's events: structure, times, and ids that do not depend on where they are computed. */
class ExecutionSpansTest {

  private static final String ARN = "arn:aws:states:us-east-1:123456789012:execution:machine:run-1";
  private static final String DEFINITION = """
      {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Next": "Both"},
        "Both": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "f"}, "End": true,
            "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 0, "MaxAttempts": 1}]}}},
          {"StartAt": "Idle", "States": {"Idle": {"Type": "Pass", "End": true}}}]}}}""";

  private final Interpreter interpreter = new Interpreter(Limits.DEFAULT);
  private final StateMachineDefinition definition = DefinitionCompiler.compile(DEFINITION);
  private final List<HistoryEvent> history = new ArrayList<>();
  private final List<FinishedSpan> spans = new ArrayList<>();
  private ExecutionState state = ExecutionState.getDefaultInstance();
  private Map<String, String> traceparents = Map.of();
  private long now = 1_704_067_200_000L;

  private Step send(Command.Builder command) {
    Command built = command.setTimeMs(now).setExecutionArn(ARN).build();
    Step step = interpreter.process(state, built, definition);
    // Computed from the stored state, and again from a fold of the history (another instance, a replay).
    List<FinishedSpan> ended = ExecutionSpans.finished(state, step.events(), now);
    assertThat(ExecutionSpans.finished(ExecutionStateApplier.fold(history), step.events(), now)).isEqualTo(ended);
    spans.addAll(ended);
    history.addAll(step.events());
    state = step.state();
    traceparents = ExecutionSpans.taskTraceparents(state);
    return step;
  }

  private String dispatchedToken(Step step) {
    return step.effects().stream().filter(Effect::hasDispatchTask).map(e -> e.getDispatchTask().getTaskToken())
        .findFirst().orElseThrow();
  }

  @Test
  void shouldNestTasksInStatesAndStatesInTheirParallelAndEndEachSpanOnce() {
    String caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    Step started = send(Command.newBuilder().setStartExecution(StartExecution.newBuilder().setName("run-1")
        .setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:machine").setInput("{}")
        .setSeed(7).setTraceHeader(caller)));
    String firstToken = dispatchedToken(started);
    String firstTraceparent = traceparents.get(firstToken);
    now += 1_000;
    Step retried = send(Command.newBuilder().setReportTaskFailed(ReportTaskFailed.newBuilder()
        .setTaskToken(firstToken).setError("Flaky").setCause("once")));
    now += 1_000;
    if (retried.effects().stream().noneMatch(Effect::hasDispatchTask)) {
      // The retry waits for its back-off timer.
      String timer = retried.effects().stream().filter(Effect::hasStartTimer)
          .map(e -> e.getStartTimer().getTimer().getTimerId()).findFirst().orElseThrow();
      retried = send(Command.newBuilder().setFireTimer(io.stepstream.proto.FireTimer.newBuilder().setTimerId(timer)));
    }
    String secondToken = dispatchedToken(retried);
    now += 1_000;
    send(Command.newBuilder().setReportTaskSucceeded(ReportTaskSucceeded.newBuilder()
        .setTaskToken(secondToken).setOutput("{}")));

    Map<String, List<FinishedSpan>> byName = spans.stream().collect(Collectors.groupingBy(FinishedSpan::name));
    assertThat(byName.keySet()).containsExactlyInAnyOrder("execution machine", "state Prepare", "state Both",
        "state Work", "state Idle", "task Work");
    assertThat(spans).extracting(FinishedSpan::spanId).doesNotHaveDuplicates();
    assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
    FinishedSpan execution = byName.get("execution machine").get(0);
    FinishedSpan both = byName.get("state Both").get(0);
    FinishedSpan work = byName.get("state Work").get(0);
    List<FinishedSpan> tasks = byName.get("task Work");
    assertThat(execution.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(byName.get("state Prepare").get(0).parentSpanId()).isEqualTo(execution.spanId());
    assertThat(both.parentSpanId()).isEqualTo(execution.spanId());
    assertThat(work.parentSpanId()).isEqualTo(both.spanId());
    assertThat(byName.get("state Idle").get(0).parentSpanId()).isEqualTo(both.spanId());
    // Two attempts: the failed one an error, each under the state, which spans both.
    assertThat(tasks).hasSize(2).allSatisfy(task -> assertThat(task.parentSpanId()).isEqualTo(work.spanId()));
    assertThat(tasks.get(0).error()).isTrue();
    assertThat(tasks.get(0).statusMessage()).contains("Flaky").contains("once");
    assertThat(tasks.get(1).error()).isFalse();
    assertThat(firstTraceparent).isEqualTo("00-" + tasks.get(0).traceId() + "-" + tasks.get(0).spanId() + "-01");
    assertThat(work.startMs()).isEqualTo(execution.startMs());
    assertThat(work.endMs()).isEqualTo(now);
    assertThat(tasks.get(1).startMs()).isGreaterThan(tasks.get(0).endMs() - 1);
    assertThat(execution.endMs()).isEqualTo(now);
    assertThat(execution.error()).isFalse();
  }

  @Test
  void shouldDeriveTheTraceFromTheExecutionArnWithoutACallerContext() {
    send(Command.newBuilder().setStartExecution(StartExecution.newBuilder().setName("run-1")
        .setStateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:machine").setInput("{}")));
    Map<String, FinishedSpan> byName = spans.stream().collect(Collectors.toMap(FinishedSpan::name, Function.identity()));
    assertThat(byName.get("state Prepare").traceId()).isEqualTo(ExecutionSpans.hash("trace|" + ARN, 16));
  }

  @Test
  void shouldReadW3cAndXrayHeaders() {
    assertThat(TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).contains(
        new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true));
    assertThat(TraceContext.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"))
        .contains(new TraceContext("5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true));
    assertThat(TraceContext.parse("Root=1-5759e988-bd862e3fe1be46a994272793")).isEmpty();
    assertThat(TraceContext.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TraceContext.parse("not a header")).isEmpty();
  }
}
