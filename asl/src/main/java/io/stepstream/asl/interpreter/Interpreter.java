package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionAbortedEventDetails;
import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionTimedOutEventDetails;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventExecutionDataDetails;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import java.util.List;

/**
 * The ASL interpreter: {@code (state, command) -> (events, effects, next state)}.
 *
 * <p>Pure and deterministic: time comes from the command, randomness from the execution's seed. It
 * runs the execution as far as it can go within one command (through any number of Pass, Choice and
 * other immediate states) and stops where it must wait: a dispatched task, a timer, or the end.
 * Thread-safe (it holds no mutable state); one instance serves every execution.
 */
public final class Interpreter {

  /** AWS's limits on an execution's duration. */
  static final long STANDARD_LIMIT_SECONDS = 365L * 24 * 3600;
  static final long EXPRESS_LIMIT_SECONDS = 5 * 60;

  private final Limits limits;

  public Interpreter(Limits limits) {
    this.limits = limits;
  }

  /**
   * Advances an execution by one command.
   *
   * @param state the execution's state; {@link ExecutionState#getDefaultInstance()} for a new one
   * @param definition the compiled definition the execution runs
   */
  public Step process(ExecutionState state, Command command, StateMachineDefinition definition) {
    return process(state, command, definition, null);
  }

  /**
   * Starts a new execution whose input the caller has parsed already (to check it), so that it is
   * not parsed again.
   *
   * @param input the node of the command's input text; not changed
   */
  public Step start(Command command, StateMachineDefinition definition, JsonNode input) {
    return process(ExecutionState.getDefaultInstance(), command, definition, input);
  }

  private Step process(ExecutionState state, Command command, StateMachineDefinition definition, JsonNode input) {
    Session session = new Session(definition, limits, command.getTimeMs(), state);
    if (input != null) {
      session.parsed(command.getStartExecution().getInput(), input);
    }
    Runner runner = new Runner(session);
    Step.Rejection rejection = switch (command.getKindCase()) {
      case START_EXECUTION -> start(runner, command);
      case STOP_EXECUTION -> stop(runner, command);
      case FIRE_TIMER -> fireTimer(runner, command.getFireTimer().getTimerId());
      case REPORT_TASK_SUCCEEDED -> onTask(runner, command.getReportTaskSucceeded().getTaskToken(), command);
      case REPORT_TASK_FAILED -> onTask(runner, command.getReportTaskFailed().getTaskToken(), command);
      case REPORT_TASK_HEARTBEAT -> onTask(runner, command.getReportTaskHeartbeat().getTaskToken(), command);
      case REPORT_TASK_STARTED -> onTask(runner, command.getReportTaskStarted().getTaskToken(), command);
      case REDRIVE_EXECUTION -> RedriveHandler.redrive(runner, command);
      case MAP_RUN_ENDED -> mapRunEnded(runner, command);
      // Partition growth is the coordinator's business; these never address an execution's states.
      case SEAL, ADOPT, SEAL_DONE, KIND_NOT_SET ->
          new Step.Rejection("ValidationException", "not an execution command: " + command.getKindCase());
    };
    if (rejection != null) {
      return new Step(state, List.of(), List.of(), rejection);
    }
    return new Step(session.state.build(), List.copyOf(session.events), List.copyOf(session.effects), null);
  }

  private static Step.Rejection start(Runner runner, Command command) {
    Session s = runner.s;
    StartExecution start = command.getStartExecution();
    if (s.state.getStatus() != ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
      // A name is taken once. AWS's idempotency: the same name and input while the execution runs
      // is the same request again (accepted, nothing changes); anything else collides. Decided here,
      // by the execution's single writer, so it is exact under races, across gateways and restarts.
      if (s.state.getStatus() == ExecutionStatus.RUNNING && sameJson(s.state.getInput(), start.getInput())) {
        return null;
      }
      return new Step.Rejection("ExecutionAlreadyExists", "Execution Already Exists: '" + command.getExecutionArn() + "'");
    }
    ExecutionStartedEventDetails.Builder details = ExecutionStartedEventDetails.newBuilder();
    // Set only when there is one: setting a message field, even to its default, marks it present,
    // and a present parent task makes the coordinator report the execution's end to it.
    if (start.hasParentTask()) {
      details.setParentTask(start.getParentTask());
    }
    HistoryEvent.Builder event = HistoryEvent.newBuilder().setExecutionStartedEventDetails(
        details
            .setInput(start.getInput())
            .setInputDetails(HistoryEventExecutionDataDetails.newBuilder().setTruncated(false))
            .setRoleArn(start.getRoleArn())
            .setStateMachineVersionArn(start.getStateMachineVersionArn())
            .setStateMachineAliasArn(start.getStateMachineAliasArn())
            .setExecutionArn(command.getExecutionArn())
            .setName(start.getName())
            .setStateMachineArn(start.getStateMachineArn())
            .setStateMachineRevision(start.getStateMachineRevision())
            .setType(start.getType())
            .setSeed(start.getSeed())
            .setMapRunArn(start.getMapRunArn())
            .setMapRunChildIndex(start.getMapRunChildIndex())
            .setTraceHeader(start.getTraceHeader()));
    event.addTimers(TimerRef.newBuilder().setTimerId("t1x").setPurpose(TimerPurpose.EXECUTION_TIMEOUT)
        .setDueTimeMs(s.now + timeLimitSeconds(s.definition, start.getType()) * 1000));
    runner.emit("", HistoryEventType.ExecutionStarted, event);
    runner.advance("");
    return null;
  }

  private static boolean sameJson(String a, String b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      return io.stepstream.asl.json.Json.parse(a).equals(io.stepstream.asl.json.Json.parse(b));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** STANDARD executions run at most a year, EXPRESS ones 5 minutes; TimeoutSeconds may shorten that. */
  static long timeLimitSeconds(StateMachineDefinition definition, io.stepstream.proto.WorkflowType type) {
    long limit = type == io.stepstream.proto.WorkflowType.EXPRESS ? EXPRESS_LIMIT_SECONDS : STANDARD_LIMIT_SECONDS;
    return definition.timeoutSeconds() > 0 ? Math.min(definition.timeoutSeconds(), limit) : limit;
  }

  private static Step.Rejection stop(Runner runner, Command command) {
    Session s = runner.s;
    if (s.state.getStatus() != ExecutionStatus.RUNNING) {
      return s.state.getStatus() == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED
          ? new Step.Rejection("ExecutionDoesNotExist", "Execution Does Not Exist: '" + command.getExecutionArn() + "'")
          : null;
    }
    DistributedMapHandler.abortAll(runner, command.getStopExecution().getError().isEmpty() ? null
        : command.getStopExecution().getError(), command.getStopExecution().getCause().isEmpty() ? null
        : command.getStopExecution().getCause());
    ExecutionAbortedEventDetails.Builder details = ExecutionAbortedEventDetails.newBuilder();
    if (!command.getStopExecution().getError().isEmpty()) {
      details.setError(command.getStopExecution().getError());
    }
    if (!command.getStopExecution().getCause().isEmpty()) {
      details.setCause(command.getStopExecution().getCause());
    }
    runner.emit("", HistoryEventType.ExecutionAborted, HistoryEvent.newBuilder().setExecutionAbortedEventDetails(details));
    runner.complete();
    return null;
  }

  private static Step.Rejection fireTimer(Runner runner, String timerId) {
    Session s = runner.s;
    if (s.state.getStatus() != ExecutionStatus.RUNNING) {
      return null; // a timer of a finished execution: nothing to do
    }
    if (timerId.equals(s.state.getExecutionTimerId())) {
      DistributedMapHandler.abortAll(runner, "States.Timeout", null);
      runner.emit("", HistoryEventType.ExecutionTimedOut, HistoryEvent.newBuilder().setExecutionTimedOutEventDetails(
          ExecutionTimedOutEventDetails.newBuilder().setError("States.Timeout")
              .setCause("The execution timed out after " + timeLimitSeconds(s.definition, s.state.getType()) + " seconds.")));
      runner.complete();
      return null;
    }
    String frameId = findFrame(s.state.getRootOrBuilder(), frame -> switch (frame.getActivityCase()) {
      case WAIT -> frame.getWaitOrBuilder().getTimerId().equals(timerId);
      case RETRY_BACKOFF -> frame.getRetryBackoffOrBuilder().getTimerId().equals(timerId);
      case TASK -> frame.getTaskOrBuilder().getTimeoutTimerId().equals(timerId) || frame.getTaskOrBuilder().getHeartbeatTimerId().equals(timerId);
      default -> false;
    });
    if (frameId == null) {
      return null; // stale: the activity it was for has moved on
    }
    FrameOrBuilder frame = s.frame(frameId);
    State state = s.machine(frameId).state(frame.getStateName());
    var raw = s.json(frame.getData());
    switch (frame.getActivityCase()) {
      case WAIT -> WaitHandler.resume(runner, frameId, (State.Wait) state, raw);
      case RETRY_BACKOFF -> runner.run(frameId, state, raw);
      case TASK -> TaskStateHandler.timedOut(runner, frameId, (State.Task) state, raw,
          frame.getTaskOrBuilder().getHeartbeatTimerId().equals(timerId));
      default -> throw new IllegalStateException("unexpected activity " + frame.getActivityCase());
    }
    propagate(runner, frameId);
    return null;
  }

  private static Step.Rejection onTask(Runner runner, String token, Command command) {
    Session s = runner.s;
    if (s.state.getStatus() != ExecutionStatus.RUNNING) {
      return new Step.Rejection("TaskTimedOut", "Task Timed Out: the execution is no longer running");
    }
    String frameId = findFrame(s.state.getRootOrBuilder(), f -> f.hasTask() && f.getTaskOrBuilder().getTaskToken().equals(token));
    if (frameId == null) {
      return new Step.Rejection("TaskTimedOut", "Task Timed Out: '" + token + "'");
    }
    FrameOrBuilder frame = s.frame(frameId);
    State.Task task = (State.Task) s.machine(frameId).state(frame.getStateName());
    var raw = s.json(frame.getData());
    switch (command.getKindCase()) {
      case REPORT_TASK_SUCCEEDED -> TaskStateHandler.succeeded(runner, frameId, task, raw,
          command.getReportTaskSucceeded().getOutput());
      case REPORT_TASK_FAILED -> TaskStateHandler.failed(runner, frameId, task, raw,
          command.getReportTaskFailed().getError(), command.getReportTaskFailed().getCause());
      case REPORT_TASK_HEARTBEAT -> {
        if (frame.getTaskOrBuilder().getHeartbeatSeconds() > 0) {
          TaskStateHandler.heartbeat(runner, frameId, frame);
        }
        return null;
      }
      case REPORT_TASK_STARTED -> {
        if (!frame.getTaskOrBuilder().getStarted()) {
          TaskStateHandler.started(runner, frameId, task, command.getReportTaskStarted().getWorkerName());
        }
        return null;
      }
      default -> throw new IllegalStateException("not a task command: " + command.getKindCase());
    }
    propagate(runner, frameId);
    return null;
  }

  private static Step.Rejection mapRunEnded(Runner runner, Command command) {
    Session s = runner.s;
    if (s.state.getStatus() != ExecutionStatus.RUNNING) {
      return null; // the parent ended first (stopped, timed out): the run was aborted with it
    }
    String mapRunArn = command.getMapRunEnded().getMapRunArn();
    String frameId = findFrame(s.state.getRootOrBuilder(),
        f -> f.hasMap() && f.getMapOrBuilder().getMapRunArn().equals(mapRunArn));
    if (frameId == null) {
      return null; // a repeated report of a run that already ended
    }
    FrameOrBuilder frame = s.frame(frameId);
    State.Map map = (State.Map) s.machine(frameId).state(frame.getStateName());
    DistributedMapHandler.ended(runner, frameId, map, s.json(frame.getData()), command.getMapRunEnded());
    propagate(runner, frameId);
    return null;
  }

  /** After a flow moved on a command: run it on, then let each enclosing Parallel/Map react. */
  private static void propagate(Runner runner, String frameId) {
    Session s = runner.s;
    String id = frameId;
    runner.advance(id);
    while (!id.isEmpty()) {
      String parentId = Frames.parentId(id);
      FrameOrBuilder parent = s.frame(parentId);
      if (parent == null || s.state.getStatus() != ExecutionStatus.RUNNING) {
        return;
      }
      State parentState = s.machine(parentId).state(parent.getStateName());
      var raw = s.json(parent.getData());
      if (parentState instanceof State.Map map && parent.hasMap()) {
        MapHandler.fill(runner, parentId, map, raw);
      } else if (parentState instanceof State.Parallel parallel && parent.hasParallel()) {
        ParallelHandler.check(runner, parentId, parallel, raw);
      }
      runner.advance(parentId);
      id = parentId;
    }
  }

  /** The id of the first frame (depth first) that {@code test} accepts, or null. */
  private static String findFrame(FrameOrBuilder frame, java.util.function.Predicate<FrameOrBuilder> test) {
    if (test.test(frame)) {
      return frame.getId();
    }
    if (frame.hasParallel()) {
      for (FrameOrBuilder branch : frame.getParallelOrBuilder().getBranchesOrBuilderList()) {
        String found = findFrame(branch, test);
        if (found != null) {
          return found;
        }
      }
    } else if (frame.hasMap()) {
      for (FrameOrBuilder iteration : frame.getMapOrBuilder().getRunningOrBuilderList()) {
        String found = findFrame(iteration, test);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }
}
