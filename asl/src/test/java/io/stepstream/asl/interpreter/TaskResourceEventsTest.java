package io.stepstream.asl.interpreter;

import static io.stepstream.proto.HistoryEventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReportTaskHeartbeat;
import io.stepstream.proto.ReportTaskStarted;
import org.junit.jupiter.api.Test;

/** The history events of a Task state depend on its resource, as in Step Functions. */
class TaskResourceEventsTest {

  private static final String ACTIVITY = "arn:aws:states:us-east-1:123456789012:activity:review";
  private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:double";

  private static ExecutionHarness machine(String resource, String extra) {
    return new ExecutionHarness("""
        {"StartAt": "T", "States": {
          "T": {"Type": "Task", "Resource": "%s", "Parameters": {"v.$": "$.v"}%s, "End": true}}}"""
        .formatted(resource, extra));
  }

  private static ExecutionHarness started(ExecutionHarness run, String worker) {
    return run.send(Command.newBuilder().setReportTaskStarted(
        ReportTaskStarted.newBuilder().setTaskToken(run.lastTaskToken()).setWorkerName(worker)));
  }

  private static HistoryEvent first(ExecutionHarness run, HistoryEventType type) {
    return run.history.stream().filter(e -> e.getType() == type).findFirst().orElseThrow();
  }

  @Test
  void shouldEmitActivityEventsFromScheduledThroughStartedToSucceeded() {
    ExecutionHarness run = machine(ACTIVITY, ", \"TimeoutSeconds\": 60, \"HeartbeatSeconds\": 10");

    run.start("{\"v\": 21}");
    started(run, "reviewer-1");
    run.send(Command.newBuilder().setReportTaskHeartbeat(ReportTaskHeartbeat.newBuilder().setTaskToken(run.lastTaskToken())));
    run.succeedTask("{\"ok\": true}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, ActivityScheduled,
        ActivityStarted, ActivitySucceeded, TaskStateExited, ExecutionSucceeded);
    var scheduled = first(run, ActivityScheduled).getActivityScheduledEventDetails();
    assertThat(scheduled.getResource()).isEqualTo(ACTIVITY);
    assertThat(scheduled.getInput()).isEqualTo("{\"v\":21}");
    assertThat(scheduled.hasInputDetails()).isTrue();
    assertThat(scheduled.getTimeoutInSeconds()).isEqualTo(60);
    assertThat(scheduled.getHeartbeatInSeconds()).isEqualTo(10);
    assertThat(scheduled.getTaskToken()).isEqualTo(run.lastTaskToken());
    assertThat(first(run, ActivityStarted).getActivityStartedEventDetails().getWorkerName()).isEqualTo("reviewer-1");
    assertThat(first(run, ActivitySucceeded).getActivitySucceededEventDetails().getOutput()).isEqualTo("{\"ok\": true}");
    assertThat(run.history).noneMatch(e -> e.getType().name().startsWith("Task")
        && !e.getType().name().startsWith("TaskState") && HistoryView.isVisible(e));
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldEmitActivityFailedAndScheduleTheActivityAgainOnRetry() {
    ExecutionHarness run = machine(ACTIVITY,
        ", \"Retry\": [{\"ErrorEquals\": [\"Review.Busy\"], \"IntervalSeconds\": 1, \"MaxAttempts\": 1}]");

    run.start("{\"v\": 1}");
    run.failTask("Review.Busy", "try later");
    run.fireNextTimer();
    run.succeedTask("{\"ok\": 2}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, ActivityScheduled,
        ActivityFailed, ActivityScheduled, ActivitySucceeded, TaskStateExited, ExecutionSucceeded);
    var failed = first(run, ActivityFailed).getActivityFailedEventDetails();
    assertThat(failed.getError()).isEqualTo("Review.Busy");
    assertThat(failed.getCause()).isEqualTo("try later");
    assertThat(run.dispatched()).hasSize(2);
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldEmitActivityTimedOutWhenNoHeartbeatArrives() {
    ExecutionHarness run = machine(ACTIVITY, ", \"HeartbeatSeconds\": 5");

    run.start("{\"v\": 1}");
    run.fireNextTimer();

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getError()).isEqualTo("States.HeartbeatTimeout");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, ActivityScheduled,
        ActivityTimedOut, ExecutionFailed);
    assertThat(first(run, ActivityTimedOut).getActivityTimedOutEventDetails().getError())
        .isEqualTo("States.HeartbeatTimeout");
  }

  @Test
  void shouldEmitLambdaFunctionEventsFromScheduledThroughStartedToSucceeded() {
    ExecutionHarness run = machine(FUNCTION + ":live", ", \"TimeoutSeconds\": 30");

    run.start("{\"v\": 21}");
    started(run, "worker-7");
    run.succeedTask("42");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("42"));
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, LambdaFunctionScheduled,
        LambdaFunctionStarted, LambdaFunctionSucceeded, TaskStateExited, ExecutionSucceeded);
    var scheduled = first(run, LambdaFunctionScheduled).getLambdaFunctionScheduledEventDetails();
    assertThat(scheduled.getResource()).isEqualTo(FUNCTION + ":live");
    assertThat(scheduled.getInput()).isEqualTo("{\"v\":21}");
    assertThat(scheduled.hasInputDetails()).isTrue();
    assertThat(scheduled.getTimeoutInSeconds()).isEqualTo(30);
    assertThat(scheduled.getTaskToken()).isEqualTo(run.lastTaskToken());
    assertThat(first(run, LambdaFunctionStarted).getDetailsCase()).isEqualTo(HistoryEvent.DetailsCase.DETAILS_NOT_SET);
    assertThat(first(run, LambdaFunctionSucceeded).getLambdaFunctionSucceededEventDetails().getOutput()).isEqualTo("42");
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldEmitLambdaFunctionFailedAndScheduleTheFunctionAgainOnRetry() {
    ExecutionHarness run = machine(FUNCTION,
        ", \"Retry\": [{\"ErrorEquals\": [\"Lambda.TooManyRequestsException\"], \"IntervalSeconds\": 2}]");

    run.start("{\"v\": 1}");
    run.failTask("Lambda.TooManyRequestsException", "Rate exceeded");
    run.fireNextTimer();
    run.failTask("Boom", "it broke");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getError()).isEqualTo("Boom");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, LambdaFunctionScheduled,
        LambdaFunctionFailed, LambdaFunctionScheduled, LambdaFunctionFailed, ExecutionFailed);
    assertThat(run.history).filteredOn(e -> e.getType() == LambdaFunctionFailed)
        .extracting(e -> e.getLambdaFunctionFailedEventDetails().getError())
        .containsExactly("Lambda.TooManyRequestsException", "Boom");
    run.assertReplaysDeterministically();
  }

  @Test
  void shouldEmitLambdaFunctionTimedOutAtTheTimeoutSeconds() {
    ExecutionHarness run = machine(FUNCTION, ", \"TimeoutSeconds\": 3");

    run.start("{\"v\": 1}");
    started(run, "worker-1");
    run.fireNextTimer();

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getError()).isEqualTo("States.Timeout");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, LambdaFunctionScheduled,
        LambdaFunctionStarted, LambdaFunctionTimedOut, ExecutionFailed);
    assertThat(first(run, LambdaFunctionTimedOut).getLambdaFunctionTimedOutEventDetails().getError())
        .isEqualTo("States.Timeout");
  }

  @Test
  void shouldKeepTaskEventsForServiceIntegrations() {
    ExecutionHarness run = machine("arn:aws:states:::lambda:invoke", "");

    run.start("{\"v\": 1}");
    started(run, "worker-1");
    run.succeedTask("{\"Payload\": 1}");

    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, TaskStateEntered, TaskScheduled,
        TaskStarted, TaskSucceeded, TaskStateExited, ExecutionSucceeded);
    assertThat(first(run, TaskScheduled).getTaskScheduledEventDetails().getResourceType()).isEqualTo("lambda");
  }

  @Test
  void shouldClassifyResourcesByTheirArn() {
    assertThat(TaskStateHandler.Resource.of(ACTIVITY).kind()).isEqualTo(TaskStateHandler.Kind.ACTIVITY);
    assertThat(TaskStateHandler.Resource.of("arn:aws-cn:states:cn-north-1:123456789012:activity:a").kind())
        .isEqualTo(TaskStateHandler.Kind.ACTIVITY);
    assertThat(TaskStateHandler.Resource.of(FUNCTION).kind()).isEqualTo(TaskStateHandler.Kind.LAMBDA_FUNCTION);
    assertThat(TaskStateHandler.Resource.of(FUNCTION + ":$LATEST").kind()).isEqualTo(TaskStateHandler.Kind.LAMBDA_FUNCTION);
    assertThat(TaskStateHandler.Resource.of("arn:aws:states:::lambda:invoke").kind()).isEqualTo(TaskStateHandler.Kind.SERVICE);
    assertThat(TaskStateHandler.Resource.of("arn:aws:states:::sqs:sendMessage.waitForTaskToken").kind())
        .isEqualTo(TaskStateHandler.Kind.SERVICE);
  }
}
