package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.PathValue;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ActivityFailedEventDetails;
import io.stepstream.proto.ActivityScheduledEventDetails;
import io.stepstream.proto.ActivityStartedEventDetails;
import io.stepstream.proto.ActivitySucceededEventDetails;
import io.stepstream.proto.ActivityTimedOutEventDetails;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.Effect;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventExecutionDataDetails;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.LambdaFunctionFailedEventDetails;
import io.stepstream.proto.LambdaFunctionScheduledEventDetails;
import io.stepstream.proto.LambdaFunctionSucceededEventDetails;
import io.stepstream.proto.LambdaFunctionTimedOutEventDetails;
import io.stepstream.proto.TaskFailedEventDetails;
import io.stepstream.proto.TaskScheduledEventDetails;
import io.stepstream.proto.TaskStartedEventDetails;
import io.stepstream.proto.TaskSucceededEventDetails;
import io.stepstream.proto.TaskTimedOutEventDetails;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;

/**
 * The Task state: schedules the task (an effect for a worker) and resumes when its result, failure,
 * heartbeat or timeout arrives as a command. The task's events are named as AWS names them for its
 * resource: Activity* for an activity, LambdaFunction* for a Lambda function ARN given directly,
 * Task* for a service integration.
 */
final class TaskStateHandler {

  private static final HistoryEventExecutionDataDetails NOT_TRUNCATED =
      HistoryEventExecutionDataDetails.newBuilder().setTruncated(false).build();

  private TaskStateHandler() {}

  static void run(Runner runner, String frameId, State.Task task, JsonNode raw) {
    Session s = runner.s;
    String token = TaskTokens.token(s.state.getExecutionArn(), s.state.getLastSequence() + 1);
    ObjectNode extra = null;
    if (task.waitForTaskToken()) {
      extra = Json.object();
      extra.set("Task", Json.object().put("Token", token));
    }
    JsonNode input = runner.s.input(frameId, task, raw);
    EvaluationScope scope = s.scope(frameId, task, input, extra);
    JsonNode parameters = InputOutput.effectiveInput(task.flow(), scope);
    long timeout = seconds(task.timeoutSeconds(), scope, "TimeoutSeconds");
    long heartbeat = seconds(task.heartbeatSeconds(), scope, "HeartbeatSeconds");
    HistoryEvent.Builder event = HistoryEvent.newBuilder();
    HistoryEventType type = scheduled(event, Resource.of(task.resource()), s.text(parameters), timeout, heartbeat, token);
    if (timeout > 0) {
      event.addTimers(TimerRef.newBuilder().setTimerId(s.nextTimerId("t")).setPurpose(TimerPurpose.TASK_TIMEOUT)
          .setDueTimeMs(s.now + timeout * 1000));
    }
    if (heartbeat > 0) {
      event.addTimers(TimerRef.newBuilder().setTimerId(s.nextTimerId("h")).setPurpose(TimerPurpose.HEARTBEAT_TIMEOUT)
          .setDueTimeMs(s.now + heartbeat * 1000));
    }
    runner.emit(frameId, type, event);
    FrameOrBuilder frame = s.frame(frameId);
    int attempt = 1;
    for (int retries : frame.getRetryCountsMap().values()) {
      attempt += retries;
    }
    s.effects.add(Effect.newBuilder().setDispatchTask(DispatchTask.newBuilder()
        .setExecutionArn(s.state.getExecutionArn()).setTaskToken(token).setResource(task.resource())
        .setInput(s.text(parameters)).setStateName(task.name()).setAttempt(attempt)
        .setTimeoutSeconds(timeout).setHeartbeatSeconds(heartbeat)
        .setIdempotencyKey(s.state.getExecutionArn() + "/" + frame.getEnteredEventId() + "/" + attempt)
        .setWaitForTaskToken(task.waitForTaskToken())).build());
  }

  /** @param workerName the worker that took the task (shown on ActivityStarted only) */
  static void started(Runner runner, String frameId, State.Task task, String workerName) {
    Resource resource = Resource.of(task.resource());
    switch (resource.kind()) {
      case ACTIVITY -> runner.emit(frameId, HistoryEventType.ActivityStarted, HistoryEvent.newBuilder()
          .setActivityStartedEventDetails(ActivityStartedEventDetails.newBuilder().setWorkerName(workerName)));
      case LAMBDA_FUNCTION -> runner.emit(frameId, HistoryEventType.LambdaFunctionStarted, HistoryEvent.newBuilder());
      case SERVICE -> runner.emit(frameId, HistoryEventType.TaskStarted, HistoryEvent.newBuilder()
          .setTaskStartedEventDetails(TaskStartedEventDetails.newBuilder()
              .setResourceType(resource.type()).setResource(resource.name())));
    }
  }

  static void heartbeat(Runner runner, String frameId, FrameOrBuilder frame) {
    Session s = runner.s;
    TimerRef timer = TimerRef.newBuilder().setTimerId(s.nextTimerId("h")).setPurpose(TimerPurpose.HEARTBEAT_TIMEOUT)
        .setDueTimeMs(s.now + frame.getTaskOrBuilder().getHeartbeatSeconds() * 1000).build();
    runner.emit(frameId, HistoryEventType.TaskHeartbeatReceived, HistoryEvent.newBuilder().addTimers(timer));
  }

  static void succeeded(Runner runner, String frameId, State.Task task, JsonNode raw, String outputText) {
    Session s = runner.s;
    Resource resource = Resource.of(task.resource());
    switch (resource.kind()) {
      case ACTIVITY -> runner.emit(frameId, HistoryEventType.ActivitySucceeded, HistoryEvent.newBuilder()
          .setActivitySucceededEventDetails(ActivitySucceededEventDetails.newBuilder()
              .setOutput(outputText).setOutputDetails(NOT_TRUNCATED)));
      case LAMBDA_FUNCTION -> runner.emit(frameId, HistoryEventType.LambdaFunctionSucceeded, HistoryEvent.newBuilder()
          .setLambdaFunctionSucceededEventDetails(LambdaFunctionSucceededEventDetails.newBuilder()
              .setOutput(outputText).setOutputDetails(NOT_TRUNCATED)));
      case SERVICE -> runner.emit(frameId, HistoryEventType.TaskSucceeded, HistoryEvent.newBuilder()
          .setTaskSucceededEventDetails(TaskSucceededEventDetails.newBuilder()
              .setResourceType(resource.type()).setResource(resource.name()).setOutput(outputText)
              .setOutputDetails(HistoryEventExecutionDataDetails.newBuilder().setTruncated(false))));
    }
    try {
      JsonNode result = s.json(outputText);
      JsonNode input = runner.s.input(frameId, task, raw);
      runner.succeed(frameId, task, raw, result, s.scope(frameId, task, input, null));
    } catch (StatesException e) {
      runner.fail(frameId, task, raw, e);
    }
  }

  static void failed(Runner runner, String frameId, State.Task task, JsonNode raw, String error, String cause) {
    Resource resource = Resource.of(task.resource());
    switch (resource.kind()) {
      case ACTIVITY -> runner.emit(frameId, HistoryEventType.ActivityFailed, HistoryEvent.newBuilder()
          .setActivityFailedEventDetails(ActivityFailedEventDetails.newBuilder().setError(error).setCause(cause)));
      case LAMBDA_FUNCTION -> runner.emit(frameId, HistoryEventType.LambdaFunctionFailed, HistoryEvent.newBuilder()
          .setLambdaFunctionFailedEventDetails(LambdaFunctionFailedEventDetails.newBuilder()
              .setError(error).setCause(cause)));
      case SERVICE -> runner.emit(frameId, HistoryEventType.TaskFailed, HistoryEvent.newBuilder()
          .setTaskFailedEventDetails(TaskFailedEventDetails.newBuilder()
              .setResourceType(resource.type()).setResource(resource.name()).setError(error).setCause(cause)));
    }
    runner.fail(frameId, task, raw, error, cause);
  }

  static void timedOut(Runner runner, String frameId, State.Task task, JsonNode raw, boolean heartbeat) {
    Resource resource = Resource.of(task.resource());
    String error = heartbeat ? StatesErrors.HEARTBEAT_TIMEOUT : StatesErrors.TIMEOUT;
    switch (resource.kind()) {
      case ACTIVITY -> runner.emit(frameId, HistoryEventType.ActivityTimedOut, HistoryEvent.newBuilder()
          .setActivityTimedOutEventDetails(ActivityTimedOutEventDetails.newBuilder().setError(error)));
      case LAMBDA_FUNCTION -> runner.emit(frameId, HistoryEventType.LambdaFunctionTimedOut, HistoryEvent.newBuilder()
          .setLambdaFunctionTimedOutEventDetails(LambdaFunctionTimedOutEventDetails.newBuilder().setError(error)));
      case SERVICE -> runner.emit(frameId, HistoryEventType.TaskTimedOut, HistoryEvent.newBuilder()
          .setTaskTimedOutEventDetails(TaskTimedOutEventDetails.newBuilder()
              .setResourceType(resource.type()).setResource(resource.name()).setError(error)));
    }
    runner.fail(frameId, task, raw, error, "");
  }

  private static long seconds(ValueTemplate template, EvaluationScope scope, String field) {
    if (template == null) {
      return 0;
    }
    // AWS words a TimeoutSecondsPath or HeartbeatSecondsPath that selects nothing as it words InputPath.
    JsonNode value = template instanceof PathValue path
        ? InputOutput.read(path.path(), scope) : template.evaluate(scope, field);
    if (!value.isIntegralNumber() || value.longValue() <= 0) {
      throw StatesException.runtime("The " + field + " value must be a positive integer: " + value);
    }
    return value.longValue();
  }

  /**
   * Sets the scheduled event's details as AWS shows them for the resource and returns its type:
   * ActivityScheduled for an activity, LambdaFunctionScheduled for a Lambda function ARN given
   * directly, TaskScheduled for a service integration.
   */
  private static HistoryEventType scheduled(HistoryEvent.Builder event, Resource resource, String input,
      long timeout, long heartbeat, String token) {
    return switch (resource.kind()) {
      case ACTIVITY -> {
        event.setActivityScheduledEventDetails(ActivityScheduledEventDetails.newBuilder()
            .setResource(resource.name()).setInput(input).setInputDetails(NOT_TRUNCATED)
            .setTimeoutInSeconds(timeout).setHeartbeatInSeconds(heartbeat).setTaskToken(token));
        yield HistoryEventType.ActivityScheduled;
      }
      case LAMBDA_FUNCTION -> {
        event.setLambdaFunctionScheduledEventDetails(LambdaFunctionScheduledEventDetails.newBuilder()
            .setResource(resource.name()).setInput(input).setInputDetails(NOT_TRUNCATED)
            .setTimeoutInSeconds(timeout).setHeartbeatInSeconds(heartbeat).setTaskToken(token));
        yield HistoryEventType.LambdaFunctionScheduled;
      }
      case SERVICE -> {
        event.setTaskScheduledEventDetails(TaskScheduledEventDetails.newBuilder()
            .setResourceType(resource.type()).setResource(resource.name()).setRegion(resource.region())
            .setParameters(input).setTimeoutInSeconds(timeout).setHeartbeatInSeconds(heartbeat)
            .setTaskToken(token));
        yield HistoryEventType.TaskScheduled;
      }
    };
  }

  /** Which family of history events a Task resource gets. */
  enum Kind {
    /** {@code arn:<partition>:states:<region>:<account>:activity:<name>}: Activity* events. */
    ACTIVITY,
    /** {@code arn:<partition>:lambda:<region>:<account>:function:<name>[:qualifier]}: LambdaFunction* events. */
    LAMBDA_FUNCTION,
    /** A service integration ({@code arn:aws:states:::service:action}) and anything else: Task* events. */
    SERVICE
  }

  /**
   * A Task resource as history events name it: "arn:aws:states:::lambda:invoke" is type lambda, name
   * invoke; an activity or a Lambda function is named by its whole ARN.
   */
  record Resource(String type, String name, String region, Kind kind) {
    static Resource of(String arn) {
      String[] parts = arn.split(":", 6);
      if (parts.length == 6 && "states".equals(parts[2]) && parts[3].isEmpty()) {
        String rest = parts[5];
        int colon = rest.indexOf(':');
        return colon < 0
            ? new Resource(rest, rest, "", Kind.SERVICE)
            : new Resource(rest.substring(0, colon), rest.substring(colon + 1), "", Kind.SERVICE);
      }
      if (parts.length == 6 && "states".equals(parts[2]) && parts[5].startsWith("activity:")) {
        return new Resource("activity", arn, parts[3], Kind.ACTIVITY);
      }
      if (parts.length == 6 && "lambda".equals(parts[2]) && parts[5].startsWith("function:")) {
        return new Resource("lambda", arn, parts[3], Kind.LAMBDA_FUNCTION);
      }
      if (parts.length >= 4) {
        return new Resource(parts[2], arn, parts[3], Kind.SERVICE);
      }
      return new Resource("", arn, "", Kind.SERVICE);
    }
  }
}
