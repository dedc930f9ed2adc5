package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.Effect;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.TaskFailedEventDetails;
import io.stepstream.proto.TaskScheduledEventDetails;
import io.stepstream.proto.TaskStartedEventDetails;
import io.stepstream.proto.TaskSucceededEventDetails;
import io.stepstream.proto.TaskTimedOutEventDetails;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;

/**
 * The Task state: schedules the task (an effect for a worker) and resumes when its result, failure,
 * heartbeat or timeout arrives as a command.
 */
final class TaskStateHandler {

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
    Resource resource = Resource.of(task.resource());
    HistoryEvent.Builder event = HistoryEvent.newBuilder().setTaskScheduledEventDetails(
        TaskScheduledEventDetails.newBuilder()
            .setResourceType(resource.type()).setResource(resource.name()).setRegion(resource.region())
            .setParameters(s.text(parameters)).setTimeoutInSeconds(timeout).setHeartbeatInSeconds(heartbeat)
            .setTaskToken(token));
    if (timeout > 0) {
      event.addTimers(TimerRef.newBuilder().setTimerId(s.nextTimerId("t")).setPurpose(TimerPurpose.TASK_TIMEOUT)
          .setDueTimeMs(s.now + timeout * 1000));
    }
    if (heartbeat > 0) {
      event.addTimers(TimerRef.newBuilder().setTimerId(s.nextTimerId("h")).setPurpose(TimerPurpose.HEARTBEAT_TIMEOUT)
          .setDueTimeMs(s.now + heartbeat * 1000));
    }
    runner.emit(frameId, HistoryEventType.TaskScheduled, event);
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

  static void started(Runner runner, String frameId, State.Task task) {
    Resource resource = Resource.of(task.resource());
    runner.emit(frameId, HistoryEventType.TaskStarted, HistoryEvent.newBuilder().setTaskStartedEventDetails(
        TaskStartedEventDetails.newBuilder().setResourceType(resource.type()).setResource(resource.name())));
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
    runner.emit(frameId, HistoryEventType.TaskSucceeded, HistoryEvent.newBuilder().setTaskSucceededEventDetails(
        TaskSucceededEventDetails.newBuilder().setResourceType(resource.type()).setResource(resource.name())
            .setOutput(outputText)));
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
    runner.emit(frameId, HistoryEventType.TaskFailed, HistoryEvent.newBuilder().setTaskFailedEventDetails(
        TaskFailedEventDetails.newBuilder().setResourceType(resource.type()).setResource(resource.name())
            .setError(error).setCause(cause)));
    runner.fail(frameId, task, raw, error, cause);
  }

  static void timedOut(Runner runner, String frameId, State.Task task, JsonNode raw, boolean heartbeat) {
    Resource resource = Resource.of(task.resource());
    String error = heartbeat ? StatesErrors.HEARTBEAT_TIMEOUT : StatesErrors.TIMEOUT;
    runner.emit(frameId, HistoryEventType.TaskTimedOut, HistoryEvent.newBuilder().setTaskTimedOutEventDetails(
        TaskTimedOutEventDetails.newBuilder().setResourceType(resource.type()).setResource(resource.name())
            .setError(error)));
    runner.fail(frameId, task, raw, error, "");
  }

  private static long seconds(ValueTemplate template, EvaluationScope scope, String field) {
    if (template == null) {
      return 0;
    }
    JsonNode value = template.evaluate(scope, field);
    if (!value.isIntegralNumber() || value.longValue() <= 0) {
      throw StatesException.runtime("The " + field + " value must be a positive integer: " + value);
    }
    return value.longValue();
  }

  /** A Task resource as history events name it: "arn:aws:states:::lambda:invoke" is type lambda, name invoke. */
  record Resource(String type, String name, String region) {
    static Resource of(String arn) {
      String[] parts = arn.split(":", 6);
      if (parts.length == 6 && "states".equals(parts[2]) && parts[3].isEmpty()) {
        String rest = parts[5];
        int colon = rest.indexOf(':');
        return colon < 0 ? new Resource(rest, rest, "") : new Resource(rest.substring(0, colon), rest.substring(colon + 1), "");
      }
      if (parts.length >= 4) {
        return new Resource(parts[2], arn, parts[3]);
      }
      return new Resource("", arn, "");
    }
  }
}
