package io.stepstream.asl.interpreter;

import io.stepstream.proto.ActivityScheduledEventDetails;
import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FlowEnd;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.LambdaFunctionScheduledEventDetails;
import io.stepstream.proto.MapActivity;
import io.stepstream.proto.ParallelActivity;
import io.stepstream.proto.RetryBackoff;
import io.stepstream.proto.StateExitedEventDetails;
import io.stepstream.proto.TaskActivity;
import io.stepstream.proto.TaskScheduledEventDetails;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import io.stepstream.proto.WaitActivity;

/**
 * {@code apply(state, event) -> state}: the only code that changes an execution's state.
 *
 * <p>The next state depends on the previous state and the event alone, never on the definition, so
 * a replay of the history gives exactly the stored state. The switch over event types has a case for
 * every type; a new type must decide here what it changes.
 *
 * <p>Events are applied to a builder that one fold (or one command) owns: protobuf builders change
 * nested fields in place, where rebuilding immutable messages per event copied every enclosing map
 * and list (quadratic in the items of a Map state). {@link #apply(ExecutionState, HistoryEvent)} is
 * the pure form for callers that fold event by event.
 */
public final class ExecutionStateApplier {

  private ExecutionStateApplier() {}

  /** The state after {@code event}. */
  public static ExecutionState apply(ExecutionState state, HistoryEvent event) {
    ExecutionState.Builder builder = state.toBuilder();
    applyTo(builder, event);
    return builder.build();
  }

  /** Folds a whole history from the empty state. */
  public static ExecutionState fold(Iterable<HistoryEvent> events) {
    ExecutionState.Builder builder = ExecutionState.newBuilder();
    for (HistoryEvent event : events) {
      applyTo(builder, event);
    }
    return builder.build();
  }

  /** Applies {@code event} to {@code state} in place. */
  public static void applyTo(ExecutionState.Builder state, HistoryEvent event) {
    switch (event.getType()) {
      case ExecutionStarted -> executionStarted(state, event);
      case ExecutionSucceeded -> finish(state, event, ExecutionStatus.SUCCEEDED)
          .setOutput(event.getExecutionSucceededEventDetails().getOutput());
      case ExecutionFailed -> finish(state, event, ExecutionStatus.FAILED)
          .setError(event.getExecutionFailedEventDetails().getError())
          .setCause(event.getExecutionFailedEventDetails().getCause());
      case ExecutionAborted -> finish(state, event, ExecutionStatus.ABORTED)
          .setError(event.getExecutionAbortedEventDetails().getError())
          .setCause(event.getExecutionAbortedEventDetails().getCause());
      case ExecutionTimedOut -> finish(state, event, ExecutionStatus.TIMED_OUT)
          .setError(event.getExecutionTimedOutEventDetails().getError())
          .setCause(event.getExecutionTimedOutEventDetails().getCause());
      case ExecutionRedriven -> executionRedriven(state, event);

      case PassStateEntered, ChoiceStateEntered, WaitStateEntered, SucceedStateEntered, FailStateEntered,
          TaskStateEntered, ParallelStateEntered, MapStateEntered -> stateEntered(state, event);
      case PassStateExited, ChoiceStateExited, WaitStateExited, SucceedStateExited, TaskStateExited,
          ParallelStateExited, MapStateExited -> stateExited(state, event);

      case TaskScheduled -> {
        TaskScheduledEventDetails d = event.getTaskScheduledEventDetails();
        taskScheduled(state, event, d.getTaskToken(), d.getResource(), d.getResourceType(),
            d.getHeartbeatInSeconds());
      }
      case ActivityScheduled -> {
        ActivityScheduledEventDetails d = event.getActivityScheduledEventDetails();
        taskScheduled(state, event, d.getTaskToken(), d.getResource(), "activity", d.getHeartbeatInSeconds());
      }
      case LambdaFunctionScheduled -> {
        LambdaFunctionScheduledEventDetails d = event.getLambdaFunctionScheduledEventDetails();
        taskScheduled(state, event, d.getTaskToken(), d.getResource(), "lambda", d.getHeartbeatInSeconds());
      }
      case TaskStarted, ActivityStarted, LambdaFunctionStarted -> Frames.edit(state, event.getFrame()).getTaskBuilder().setStarted(true);
      case TaskHeartbeatReceived -> Frames.edit(state, event.getFrame()).getTaskBuilder()
          .setHeartbeatTimerId(timerId(event, TimerPurpose.HEARTBEAT_TIMEOUT));
      case TaskSucceeded, TaskFailed, TaskTimedOut, TaskStartFailed, TaskSubmitFailed, TaskStateAborted,
          ActivitySucceeded, ActivityFailed, ActivityTimedOut,
          LambdaFunctionSucceeded, LambdaFunctionFailed, LambdaFunctionTimedOut,
          ParallelStateSucceeded, ParallelStateAborted,
          MapStateSucceeded, MapStateAborted, WaitStateAborted,
          MapRunSucceeded, MapRunAborted, TimerFired ->
          Frames.edit(state, event.getFrame()).clearActivity();
      // A failed Parallel or Map keeps its branches and iterations: a redrive runs again only the
      // ones that did not succeed. A Catch (the state exits) or a Retry (a back-off replaces the
      // activity) drops them as before.
      case ParallelStateFailed, MapStateFailed -> { }
      case MapRunFailed -> {
        Frame.Builder frame = Frames.edit(state, event.getFrame());
        if (frame.hasMap()) {
          frame.getMapBuilder().setMapRunEnded(true);
        }
      }
      case MapRunStarted -> {
        Frame.Builder frame = Frames.edit(state, event.getFrame());
        if (frame.hasMap()) {
          frame.getMapBuilder().setMapRunArn(event.getMapRunStartedEventDetails().getMapRunArn());
        }
      }
      case MapRunRedriven -> {
        Frame.Builder frame = Frames.edit(state, event.getFrame());
        if (frame.hasMap()) {
          frame.getMapBuilder().setMapRunEnded(false);
        }
      }
      case TaskSubmitted, ActivityScheduleFailed, LambdaFunctionScheduleFailed, LambdaFunctionStartFailed,
          EvaluationFailed -> { }

      case ParallelStateStarted -> Frames.edit(state, event.getFrame())
          .setParallel(ParallelActivity.getDefaultInstance()).setActivityEventId(event.getId());
      case MapStateStarted -> Frames.edit(state, event.getFrame())
          .setMap(MapActivity.newBuilder()
              .setItems(event.getMapStateStartedEventDetails().getItems())
              .setItemCount(event.getMapStateStartedEventDetails().getLength())
              .setMaxConcurrency(event.getMapStateStartedEventDetails().getMaxConcurrency()))
          .setActivityEventId(event.getId());
      case MapIterationStarted -> mapIteration(state, event, event.getMapIterationStartedEventDetails().getIndex());
      case MapIterationSucceeded -> mapIteration(state, event, event.getMapIterationSucceededEventDetails().getIndex());
      case MapIterationFailed -> mapIteration(state, event, event.getMapIterationFailedEventDetails().getIndex());
      case MapIterationAborted -> mapIteration(state, event, event.getMapIterationAbortedEventDetails().getIndex());

      case RetryScheduled -> Frames.edit(state, event.getFrame())
          .putRetryCounts(event.getRetryScheduledDetails().getRetrierIndex(), event.getRetryScheduledDetails().getAttempt())
          .setRetryBackoff(RetryBackoff.newBuilder().setTimerId(event.getRetryScheduledDetails().getTimer().getTimerId()));

      case HISTORY_EVENT_TYPE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("event without a type: " + event);
    }
    if (event.hasFlowEnd()) {
      FlowEnd end = event.getFlowEnd();
      Frames.edit(state, event.getFrame())
          .setStatus(end.getFailed() ? FrameStatus.FRAME_FAILED : FrameStatus.FRAME_SUCCEEDED)
          .setError(end.getError()).setCause(end.getCause());
    }
    if (event.getId() > 0) {
      state.setLastEventId(event.getId()).setLastEventType(event.getType())
          .setLastPreviousEventId(event.getPreviousEventId());
    }
    state.setLastSequence(event.getSequence());
  }

  private static void executionStarted(ExecutionState.Builder state, HistoryEvent event) {
    ExecutionStartedEventDetails d = event.getExecutionStartedEventDetails();
    state.clear()
        .setExecutionArn(d.getExecutionArn())
        .setName(d.getName())
        .setStateMachineArn(d.getStateMachineArn())
        .setStateMachineRevision(d.getStateMachineRevision())
        .setType(d.getType())
        .setSeed(d.getSeed())
        .setStatus(ExecutionStatus.RUNNING)
        .setStartTimeMs(event.getTimestampMs())
        .setInput(d.getInput())
        .setRoleArn(d.getRoleArn())
        .setMapRunArn(d.getMapRunArn())
        .setMapRunChildIndex(d.getMapRunChildIndex())
        .setTraceHeader(d.getTraceHeader());
    // Built in place: the root frame is edited by every later event, so it stays a builder.
    Frames.running(state.getRootBuilder(), "", 0).setData(d.getInput());
    if (d.hasParentTask()) {
      state.setParentTask(d.getParentTask());
    }
    for (TimerRef timer : event.getTimersList()) {
      if (timer.getPurpose() == TimerPurpose.EXECUTION_TIMEOUT) {
        state.setExecutionTimerId(timer.getTimerId()).setExecutionTimerDueMs(timer.getDueTimeMs());
      }
    }
  }

  /**
   * The execution runs again: its time limit restarts, and every flow that did not finish forgets
   * its retries; failed Map iterations are reopened for the Map to start again.
   */
  private static void executionRedriven(ExecutionState.Builder state, HistoryEvent event) {
    state.setStatus(ExecutionStatus.RUNNING)
        .setRedriveCount(event.getExecutionRedrivenEventDetails().getRedriveCount())
        .setRedriveClientToken(event.getExecutionRedrivenEventDetails().getClientToken())
        .setRedriveTimeMs(event.getTimestampMs()).setStopTimeMs(0).clearError().clearCause().clearOutput();
    for (TimerRef timer : event.getTimersList()) {
      if (timer.getPurpose() == TimerPurpose.EXECUTION_TIMEOUT) {
        state.setExecutionTimerId(timer.getTimerId()).setExecutionTimerDueMs(timer.getDueTimeMs());
      }
    }
    reopen(state.getRootBuilder());
  }

  private static void reopen(Frame.Builder frame) {
    if (frame.getStatus() == FrameStatus.FRAME_SUCCEEDED) {
      return;
    }
    clearRetryCounts(frame);
    if (frame.hasParallel()) {
      for (Frame.Builder branch : frame.getParallelBuilder().getBranchesBuilderList()) {
        reopen(branch);
      }
    } else if (frame.hasMap()) {
      MapActivity.Builder map = frame.getMapBuilder();
      if (map.getFailedIterationsCount() > 0) {
        java.util.List<Frame> failed = new java.util.ArrayList<>(map.getToRedriveList());
        failed.addAll(map.getFailedIterationsList());
        failed.sort(java.util.Comparator.comparingInt(Frame::getIndex));
        map.setFailedCount(Math.max(0, map.getFailedCount() - map.getFailedIterationsCount())).clearFailedIterations()
            .clearToRedrive().addAllToRedrive(failed);
      }
      for (Frame.Builder iteration : map.getRunningBuilderList()) {
        reopen(iteration);
      }
      for (Frame.Builder iteration : map.getToRedriveBuilderList()) {
        reopen(iteration);
      }
    }
  }

  /** Clears a frame's retry counts; only when it has some, since clearing makes a new empty map. */
  private static void clearRetryCounts(Frame.Builder frame) {
    if (frame.getRetryCountsCount() > 0) {
      frame.clearRetryCounts();
    }
  }

  private static ExecutionState.Builder finish(ExecutionState.Builder state, HistoryEvent event, ExecutionStatus status) {
    return state.setStatus(status).setStopTimeMs(event.getTimestampMs());
  }

  private static void stateEntered(ExecutionState.Builder state, HistoryEvent event) {
    String waitTimer = timerId(event, TimerPurpose.WAIT_END);
    Frame.Builder frame = Frames.edit(state, event.getFrame())
        .clearActivity()
        .setStateName(event.getStateEnteredEventDetails().getName())
        .setData(event.getStateEnteredEventDetails().getInput())
        .setEntered(true)
        .setEnteredEventId(event.getId())
        .setEnteredTimeMs(event.getTimestampMs());
    clearRetryCounts(frame);
    if (!waitTimer.isEmpty()) {
      frame.setWait(WaitActivity.newBuilder().setTimerId(waitTimer)).setActivityEventId(event.getId());
    }
  }

  private static void stateExited(ExecutionState.Builder state, HistoryEvent event) {
    StateExitedEventDetails d = event.getStateExitedEventDetails();
    Frame.Builder frame = Frames.edit(state, event.getFrame())
        .clearActivity()
        .setData(d.getOutput())
        .setEntered(false);
    clearRetryCounts(frame);
    if (d.getAssignedVariablesCount() > 0) {
      frame.putAllVariables(d.getAssignedVariablesMap());
    }
    if (!d.getNext().isEmpty()) {
      frame.setStateName(d.getNext());
    }
  }

  /** A task was scheduled (TaskScheduled, ActivityScheduled or LambdaFunctionScheduled): the frame waits on it. */
  private static void taskScheduled(ExecutionState.Builder state, HistoryEvent event, String token, String resource,
      String resourceType, long heartbeatSeconds) {
    Frames.edit(state, event.getFrame())
        .setTask(TaskActivity.newBuilder()
            .setTaskToken(token)
            .setResource(resource)
            .setResourceType(resourceType)
            .setHeartbeatSeconds(heartbeatSeconds)
            .setScheduledTimeMs(event.getTimestampMs())
            .setTimeoutTimerId(timerId(event, TimerPurpose.TASK_TIMEOUT))
            .setHeartbeatTimerId(timerId(event, TimerPurpose.HEARTBEAT_TIMEOUT)))
        .setActivityEventId(event.getId());
  }

  private static void mapIteration(ExecutionState.Builder state, HistoryEvent event, int index) {
    MapActivity.Builder map = Frames.edit(state, event.getFrame()).getMapBuilder();
    int position = Frames.position(map, index);
    switch (event.getType()) {
      case MapIterationStarted -> {
        if (position < 0) {
          int reopened = reopenedPosition(map, index);
          if (reopened >= 0) {
            map.addRunning(map.getToRedrive(reopened));
            map.removeToRedrive(reopened);
          } else {
            Frames.running(map.addRunningBuilder(), Frames.iterationId(event.getFrame(), index), index);
          }
        }
        map.setNextIndex(Math.max(map.getNextIndex(), index + 1));
      }
      case MapIterationSucceeded -> {
        map.putResults(index, position < 0 ? "null" : map.getRunningOrBuilder(position).getData())
            .setSucceededCount(map.getSucceededCount() + 1);
        if (position >= 0) {
          map.removeRunning(position);
        }
      }
      default -> {
        if (event.getType() == HistoryEventType.MapIterationFailed) {
          map.setFailedCount(map.getFailedCount() + 1);
        }
        if (position >= 0) {
          map.addFailedIterations(map.getRunning(position));
          map.removeRunning(position);
        }
      }
    }
  }

  private static int reopenedPosition(MapActivity.Builder map, int index) {
    for (int i = 0; i < map.getToRedriveCount(); i++) {
      if (map.getToRedriveOrBuilder(i).getIndex() == index) {
        return i;
      }
    }
    return -1;
  }

  private static String timerId(HistoryEvent event, TimerPurpose purpose) {
    for (TimerRef timer : event.getTimersList()) {
      if (timer.getPurpose() == purpose) {
        return timer.getTimerId();
      }
    }
    return "";
  }
}
