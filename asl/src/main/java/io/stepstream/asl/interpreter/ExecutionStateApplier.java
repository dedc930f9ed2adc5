package io.stepstream.asl.interpreter;

import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FlowEnd;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.MapActivity;
import io.stepstream.proto.MapIterationEventDetails;
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
 * <p>Pure: the next state depends on the previous state and the event alone, never on the definition,
 * so that a replay of the history gives exactly the stored state. The switch over event types has a
 * case for every type; a new type must decide here what it changes.
 */
public final class ExecutionStateApplier {

  private ExecutionStateApplier() {}

  /** The state after {@code event}. */
  public static ExecutionState apply(ExecutionState state, HistoryEvent event) {
    ExecutionState next = switch (event.getType()) {
      case ExecutionStarted -> executionStarted(event);
      case ExecutionSucceeded -> finish(state, event, ExecutionStatus.SUCCEEDED)
          .setOutput(event.getExecutionSucceededEventDetails().getOutput()).build();
      case ExecutionFailed -> finish(state, event, ExecutionStatus.FAILED)
          .setError(event.getExecutionFailedEventDetails().getError())
          .setCause(event.getExecutionFailedEventDetails().getCause()).build();
      case ExecutionAborted -> finish(state, event, ExecutionStatus.ABORTED)
          .setError(event.getExecutionAbortedEventDetails().getError())
          .setCause(event.getExecutionAbortedEventDetails().getCause()).build();
      case ExecutionTimedOut -> finish(state, event, ExecutionStatus.TIMED_OUT)
          .setError(event.getExecutionTimedOutEventDetails().getError())
          .setCause(event.getExecutionTimedOutEventDetails().getCause()).build();
      case ExecutionRedriven -> state.toBuilder().setStatus(ExecutionStatus.RUNNING)
          .setRedriveCount(event.getExecutionRedrivenEventDetails().getRedriveCount())
          .setRedriveTimeMs(event.getTimestampMs()).setStopTimeMs(0).clearError().clearCause().clearOutput().build();

      case PassStateEntered, ChoiceStateEntered, WaitStateEntered, SucceedStateEntered, FailStateEntered,
          TaskStateEntered, ParallelStateEntered, MapStateEntered -> stateEntered(state, event);
      case PassStateExited, ChoiceStateExited, WaitStateExited, SucceedStateExited, TaskStateExited,
          ParallelStateExited, MapStateExited -> stateExited(state, event);

      case TaskScheduled -> taskScheduled(state, event);
      case TaskStarted -> Frames.update(state, event.getFrame(),
          f -> f.toBuilder().setTask(f.getTask().toBuilder().setStarted(true)).build());
      case TaskHeartbeatReceived -> Frames.update(state, event.getFrame(), f -> f.toBuilder()
          .setTask(f.getTask().toBuilder().setHeartbeatTimerId(timerId(event, TimerPurpose.HEARTBEAT_TIMEOUT))).build());
      case TaskSucceeded, TaskFailed, TaskTimedOut, TaskStartFailed, TaskSubmitFailed, TaskStateAborted,
          ParallelStateSucceeded, ParallelStateFailed, ParallelStateAborted,
          MapStateSucceeded, MapStateFailed, MapStateAborted, WaitStateAborted,
          MapRunSucceeded, MapRunFailed, MapRunAborted ->
          Frames.update(state, event.getFrame(), ExecutionStateApplier::clearActivity);
      case TaskSubmitted, ActivityScheduled, ActivityStarted, ActivitySucceeded, ActivityFailed,
          ActivityTimedOut, ActivityScheduleFailed, LambdaFunctionScheduled, LambdaFunctionStarted,
          LambdaFunctionSucceeded, LambdaFunctionFailed, LambdaFunctionTimedOut,
          LambdaFunctionScheduleFailed, LambdaFunctionStartFailed, MapRunStarted, MapRunRedriven,
          EvaluationFailed -> state;

      case ParallelStateStarted -> Frames.update(state, event.getFrame(), f -> f.toBuilder()
          .setParallel(ParallelActivity.getDefaultInstance()).setActivityEventId(event.getId()).build());
      case MapStateStarted -> Frames.update(state, event.getFrame(), f -> f.toBuilder()
          .setMap(MapActivity.newBuilder()
              .setItems(event.getMapStateStartedEventDetails().getItems())
              .setItemCount(event.getMapStateStartedEventDetails().getLength())
              .setMaxConcurrency(event.getMapStateStartedEventDetails().getMaxConcurrency()))
          .setActivityEventId(event.getId()).build());
      case MapIterationStarted -> mapIteration(state, event, event.getMapIterationStartedEventDetails());
      case MapIterationSucceeded -> mapIteration(state, event, event.getMapIterationSucceededEventDetails());
      case MapIterationFailed -> mapIteration(state, event, event.getMapIterationFailedEventDetails());
      case MapIterationAborted -> mapIteration(state, event, event.getMapIterationAbortedEventDetails());

      case RetryScheduled -> Frames.update(state, event.getFrame(), f -> f.toBuilder()
          .putRetryCounts(event.getRetryScheduledDetails().getRetrierIndex(), event.getRetryScheduledDetails().getAttempt())
          .setRetryBackoff(RetryBackoff.newBuilder().setTimerId(event.getRetryScheduledDetails().getTimer().getTimerId()))
          .build());
      case TimerFired -> Frames.update(state, event.getFrame(), ExecutionStateApplier::clearActivity);

      case HISTORY_EVENT_TYPE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException("event without a type: " + event);
    };
    if (event.hasFlowEnd() && event.getType() != io.stepstream.proto.HistoryEventType.ExecutionStarted) {
      FlowEnd end = event.getFlowEnd();
      next = Frames.update(next, event.getFrame(), f -> f.toBuilder()
          .setStatus(end.getFailed() ? FrameStatus.FRAME_FAILED : FrameStatus.FRAME_SUCCEEDED)
          .setError(end.getError()).setCause(end.getCause()).build());
    }
    return next.toBuilder().setLastEventId(event.getId()).build();
  }

  private static ExecutionState executionStarted(HistoryEvent event) {
    ExecutionStartedEventDetails d = event.getExecutionStartedEventDetails();
    ExecutionState.Builder state = ExecutionState.newBuilder()
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
        .setRoot(Frames.newFrame("").toBuilder().setData(d.getInput()));
    for (TimerRef timer : event.getTimersList()) {
      if (timer.getPurpose() == TimerPurpose.EXECUTION_TIMEOUT) {
        state.setExecutionTimerId(timer.getTimerId());
      }
    }
    return state.build();
  }

  private static ExecutionState.Builder finish(ExecutionState state, HistoryEvent event, ExecutionStatus status) {
    return state.toBuilder().setStatus(status).setStopTimeMs(event.getTimestampMs());
  }

  private static ExecutionState stateEntered(ExecutionState state, HistoryEvent event) {
    String waitTimer = timerId(event, TimerPurpose.WAIT_END);
    return Frames.update(state, event.getFrame(), f -> {
      Frame.Builder b = clearActivity(f).toBuilder()
          .setStateName(event.getStateEnteredEventDetails().getName())
          .setData(event.getStateEnteredEventDetails().getInput())
          .setEntered(true)
          .setEnteredEventId(event.getId())
          .setEnteredTimeMs(event.getTimestampMs())
          .clearRetryCounts();
      if (!waitTimer.isEmpty()) {
        b.setWait(WaitActivity.newBuilder().setTimerId(waitTimer)).setActivityEventId(event.getId());
      }
      return b.build();
    });
  }

  private static ExecutionState stateExited(ExecutionState state, HistoryEvent event) {
    StateExitedEventDetails d = event.getStateExitedEventDetails();
    return Frames.update(state, event.getFrame(), f -> {
      Frame.Builder b = clearActivity(f).toBuilder()
          .setData(d.getOutput())
          .setEntered(false)
          .clearRetryCounts()
          .putAllVariables(d.getAssignedVariablesMap());
      if (!d.getNext().isEmpty()) {
        b.setStateName(d.getNext());
      }
      return b.build();
    });
  }

  private static ExecutionState taskScheduled(ExecutionState state, HistoryEvent event) {
    TaskScheduledEventDetails d = event.getTaskScheduledEventDetails();
    return Frames.update(state, event.getFrame(), f -> f.toBuilder()
        .setTask(TaskActivity.newBuilder()
            .setTaskToken(d.getTaskToken())
            .setResource(d.getResource())
            .setResourceType(d.getResourceType())
            .setHeartbeatSeconds(d.getHeartbeatInSeconds())
            .setTimeoutTimerId(timerId(event, TimerPurpose.TASK_TIMEOUT))
            .setHeartbeatTimerId(timerId(event, TimerPurpose.HEARTBEAT_TIMEOUT)))
        .setActivityEventId(event.getId())
        .build());
  }

  private static ExecutionState mapIteration(ExecutionState state, HistoryEvent event, MapIterationEventDetails d) {
    int index = d.getIndex();
    String iterationId = Frames.iterationId(event.getFrame(), index);
    return Frames.update(state, event.getFrame(), f -> {
      MapActivity map = f.getMap();
      MapActivity.Builder b = map.toBuilder();
      switch (event.getType()) {
        case MapIterationStarted -> b.putRunning(index, Frames.newFrame(iterationId))
            .setNextIndex(Math.max(map.getNextIndex(), index + 1));
        case MapIterationSucceeded -> b.removeRunning(index)
            .putResults(index, map.containsRunning(index) ? map.getRunningOrThrow(index).getData() : "null")
            .setSucceededCount(map.getSucceededCount() + 1);
        case MapIterationFailed -> b.removeRunning(index).setFailedCount(map.getFailedCount() + 1);
        default -> b.removeRunning(index);
      }
      return f.toBuilder().setMap(b).build();
    });
  }

  private static Frame clearActivity(Frame frame) {
    return frame.getActivityCase() == Frame.ActivityCase.ACTIVITY_NOT_SET
        ? frame : frame.toBuilder().clearActivity().build();
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
