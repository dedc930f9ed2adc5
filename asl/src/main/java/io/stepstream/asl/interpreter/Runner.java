package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.Catcher;
import io.stepstream.asl.definition.Retrier;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.retry.ErrorMatcher;
import io.stepstream.asl.retry.RetryDelay;
import io.stepstream.proto.Effect;
import io.stepstream.proto.EvaluationFailedEventDetails;
import io.stepstream.proto.ExecutionFailedEventDetails;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSucceededEventDetails;
import io.stepstream.proto.FlowEnd;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventExecutionDataDetails;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.proto.RetryScheduledDetails;
import io.stepstream.proto.StateEnteredEventDetails;
import io.stepstream.proto.StateExitedEventDetails;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import java.util.Map;

/**
 * The life cycle every state shares: enter, produce a result, exit to the next state; or fail, and
 * then retry, catch, or end the flow. State-type specifics live in one handler per type.
 */
final class Runner {

  private static final HistoryEventExecutionDataDetails NOT_TRUNCATED =
      HistoryEventExecutionDataDetails.newBuilder().setTruncated(false).build();

  final Session s;

  Runner(Session session) {
    this.s = session;
  }

  /** Runs the flow {@code frameId} until it waits (task, timer, children) or ends. */
  void advance(String frameId) {
    while (s.state.getStatus() == ExecutionStatus.RUNNING && !s.failedFlows.containsKey(frameId)) {
      FrameOrBuilder frame = s.frame(frameId);
      if (frame == null || frame.getStatus() != FrameStatus.FRAME_RUNNING
          || frame.getActivityCase() != Frame.ActivityCase.ACTIVITY_NOT_SET || frame.getEntered()) {
        return;
      }
      StateMachineDefinition machine = s.machine(frameId);
      String name = frame.getStateName().isEmpty() ? machine.startAt() : frame.getStateName();
      enter(frameId, machine.state(name), s.json(frame.getData()));
    }
  }

  /** Starts a child flow (branch or iteration) with its input and runs it as far as it goes. */
  void startFlow(String frameId, JsonNode input) {
    StateMachineDefinition machine = s.machine(frameId);
    enter(frameId, machine.state(machine.startAt()), input);
    advance(frameId);
  }

  /** Enters a state of the flow: its Entered event, then its work. */
  void enter(String frameId, State state, JsonNode raw) {
    if (state instanceof State.Wait wait) {
      // A Wait's timer starts with its Entered event, so the timer is computed first.
      WaitHandler.enter(this, frameId, wait, raw);
      return;
    }
    emitEntered(frameId, state, raw, null);
    run(frameId, state, raw);
  }

  /** Emits the state's Entered event, with a timer to start, or none. */
  void emitEntered(String frameId, State state, JsonNode raw, TimerRef timer) {
    StateEnteredEventDetails details = StateEnteredEventDetails.newBuilder()
        .setName(state.name()).setInput(s.text(raw)).setInputDetails(NOT_TRUNCATED).build();
    s.emit(frameId, entered(state), event -> {
      event.setStateEnteredEventDetails(details);
      if (timer != null) {
        event.addTimers(timer);
      }
    });
  }

  /** Does a state's work after its Entered event (or again after a retry back-off). */
  void run(String frameId, State state, JsonNode raw) {
    try {
      switch (state) {
        case State.Pass pass -> PassHandler.run(this, frameId, pass, raw);
        case State.Choice choice -> ChoiceHandler.run(this, frameId, choice, raw);
        case State.Wait wait -> throw new IllegalStateException("a Wait state runs from its enter step: " + wait.name());
        case State.Succeed succeed -> exit(frameId, succeed, raw, InputOutput.selectOutput(succeed.flow(),
            s.scope(frameId, succeed, raw, null), s.input(frameId, succeed, raw)), null, null);
        case State.Fail fail -> FailHandler.run(this, frameId, fail, raw);
        case State.Task task -> TaskStateHandler.run(this, frameId, task, raw);
        case State.Parallel parallel -> ParallelHandler.run(this, frameId, parallel, raw);
        case State.Map map -> MapHandler.run(this, frameId, map, raw);
      }
    } catch (StatesException e) {
      fail(frameId, state, raw, e);
    }
  }

  /**
   * The state is done with {@code output} (output processing already applied): records the Assign
   * values, emits its Exited event, and moves the flow on to {@code next} (the state's Next when
   * null) or ends it.
   */
  void exit(String frameId, State state, JsonNode raw, JsonNode output, Map<String, JsonNode> assigned, String next) {
    String target = next != null ? next : state.next();
    String outputText = s.text(output);
    if (s.limits.exceedsPayload(outputText)) {
      fail(frameId, state, raw, new StatesException(StatesErrors.DATA_LIMIT_EXCEEDED, "The state/task '" + state.name()
          + "' returned a result with a size exceeding the maximum number of bytes service limit."));
      return;
    }
    StateExitedEventDetails.Builder details = StateExitedEventDetails.newBuilder()
        .setName(state.name()).setOutput(outputText).setOutputDetails(NOT_TRUNCATED);
    if (assigned != null) {
      assigned.forEach((name, value) -> details.putAssignedVariables(name, s.text(value)));
      details.setAssignedVariablesDetails(NOT_TRUNCATED);
    }
    if (target != null) {
      details.setNext(target);
    }
    StateExitedEventDetails exited = details.build();
    s.emit(frameId, exited(state), event -> {
      event.setStateExitedEventDetails(exited);
      if (target == null) {
        event.setFlowEnd(FlowEnd.getDefaultInstance());
      }
    });
    if (target == null && frameId.isEmpty()) {
      emit("", HistoryEventType.ExecutionSucceeded, HistoryEvent.newBuilder().setExecutionSucceededEventDetails(
          ExecutionSucceededEventDetails.newBuilder().setOutput(outputText).setOutputDetails(NOT_TRUNCATED)));
      complete();
    }
  }

  /** Applies output processing and Assign to a result, then exits. */
  void succeed(String frameId, State state, JsonNode raw, JsonNode result, EvaluationScope scope) {
    try {
      Map<String, JsonNode> assigned = null;
      ValueTemplate assign = state.flow().assign();
      if (assign != null) {
        EvaluationScope assignScope = state.flow().isJsonata()
            ? scope.withInput(raw).withResult(result) : scope.withInput(result);
        assigned = InputOutput.assign(assign, assignScope);
      }
      JsonNode output = InputOutput.output(state.flow(), raw, result, scope);
      exit(frameId, state, raw, output, assigned, null);
    } catch (StatesException e) {
      fail(frameId, state, raw, e);
    }
  }

  /** A state failed with an evaluation or runtime error. */
  void fail(String frameId, State state, JsonNode raw, StatesException e) {
    fail(frameId, state, raw, e.error(), report(frameId, state, e));
  }

  /**
   * The cause AWS gives an evaluation or runtime error (prefixed with the state and the event it
   * entered at), after emitting the EvaluationFailed event that JSONata errors get.
   */
  String report(String frameId, State state, StatesException e) {
    FrameOrBuilder frame = s.frame(frameId);
    String cause = e.cause();
    if (StatesErrors.RUNTIME.equals(e.error()) || StatesErrors.QUERY_EVALUATION_ERROR.equals(e.error())) {
      cause = "An error occurred while executing the state '" + state.name() + "' (entered at the event id #"
          + (frame == null ? 0 : frame.getEnteredEventId()) + "). " + cause;
    }
    if (StatesErrors.QUERY_EVALUATION_ERROR.equals(e.error())) {
      EvaluationFailedEventDetails.Builder details = EvaluationFailedEventDetails.newBuilder()
          .setError(e.error()).setCause(cause).setState(state.name());
      if (e.location() != null) {
        details.setLocation(e.location());
      }
      emit(frameId, HistoryEventType.EvaluationFailed, HistoryEvent.newBuilder().setEvaluationFailedEventDetails(details));
    }
    return cause;
  }

  /** A state failed with {@code error}: retry it, catch it, or end its flow. */
  void fail(String frameId, State state, JsonNode raw, String error, String cause) {
    if (!retry(frameId, state, error)) {
      catchOrFail(frameId, state, raw, error, cause);
    }
  }

  /** The failure was not retried: catch it, or end the flow. */
  void catchOrFail(String frameId, State state, JsonNode raw, String error, String cause) {
    for (Catcher catcher : state.catchers()) {
      if (ErrorMatcher.matches(catcher.errorEquals(), error)) {
        caught(frameId, state, raw, catcher, error, cause);
        return;
      }
    }
    failFlow(frameId, error, cause);
  }

  /** Schedules a retry when a Retry rule of the state matches and has attempts left. */
  boolean retry(String frameId, State state, String error) {
    var retriers = state.retry();
    for (int i = 0; i < retriers.size(); i++) {
      Retrier retrier = retriers.get(i);
      if (!ErrorMatcher.matches(retrier.errorEquals(), error)) {
        continue;
      }
      FrameOrBuilder frame = s.frame(frameId);
      int done = frame.getRetryCountsOrDefault(i, 0);
      if (done >= retrier.maxAttempts()) {
        return false;
      }
      int attempt = done + 1;
      long seed = s.state.getSeed() ^ (frame.getEnteredEventId() * 0x9E3779B97F4A7C15L) ^ attempt;
      TimerRef timer = TimerRef.newBuilder().setTimerId(s.nextTimerId("r"))
          .setDueTimeMs(s.now + RetryDelay.millis(retrier, attempt, seed)).setPurpose(TimerPurpose.RETRY_BACKOFF).build();
      emit(frameId, HistoryEventType.RetryScheduled, HistoryEvent.newBuilder().addTimers(timer)
          .setRetryScheduledDetails(RetryScheduledDetails.newBuilder()
              .setStateName(state.name()).setRetrierIndex(i).setAttempt(attempt).setTimer(timer)));
      return true;
    }
    return false;
  }

  private void caught(String frameId, State state, JsonNode raw, Catcher catcher, String error, String cause) {
    JsonNode errorOutput = InputOutput.errorOutput(error, cause);
    try {
      EvaluationScope scope = s.scope(frameId, state, raw, null).withErrorOutput(errorOutput);
      Map<String, JsonNode> assigned = null;
      if (catcher.assign() != null) {
        assigned = InputOutput.assign(catcher.assign(), state.flow().isJsonata() ? scope : scope.withInput(errorOutput));
      }
      JsonNode output;
      if (state.flow().isJsonata()) {
        output = catcher.output() == null ? errorOutput : catcher.output().evaluate(scope, "Output");
      } else if (catcher.discardResult()) {
        output = raw;
      } else if (catcher.resultPath() == null) {
        output = errorOutput;
      } else {
        output = catcher.resultPath().write(raw, errorOutput);
      }
      exit(frameId, state, raw, output, assigned, catcher.next());
    } catch (StatesException e) {
      failFlow(frameId, e.error(), e.cause());
    }
  }

  /** Ends a flow in failure: the execution fails, or the enclosing Parallel/Map reacts. */
  void failFlow(String frameId, String error, String cause) {
    if (frameId.isEmpty()) {
      DistributedMapHandler.abortAll(this, "States.Aborted", null);
      ExecutionFailedEventDetails.Builder details = ExecutionFailedEventDetails.newBuilder();
      if (error != null) {
        details.setError(error);
      }
      if (cause != null) {
        details.setCause(cause);
      }
      emit("", HistoryEventType.ExecutionFailed, HistoryEvent.newBuilder().setExecutionFailedEventDetails(details));
      complete();
    } else {
      s.failedFlows.put(frameId, new Session.Failure(error, cause));
    }
  }

  /** Reports the terminal status of the execution to the host. */
  void complete() {
    io.stepstream.proto.ExecutionStateOrBuilder st = s.state;
    if (!st.getExecutionTimerId().isEmpty()) {
      s.effects.add(Effect.newBuilder().setCancelTimer(io.stepstream.proto.CancelTimer.newBuilder()
          .setTimerId(st.getExecutionTimerId()).setDueTimeMs(st.getExecutionTimerDueMs())).build());
    }
    s.effects.add(Effect.newBuilder().setReportCompletion(ReportCompletion.newBuilder()
        .setExecutionArn(st.getExecutionArn()).setStatus(st.getStatus()).setOutput(st.getOutput())
        .setError(st.getError()).setCause(st.getCause())
        .setStartTimeMs(st.getStartTimeMs()).setStopTimeMs(st.getStopTimeMs())).build());
  }

  HistoryEvent emit(String frameId, HistoryEventType type, HistoryEvent.Builder event) {
    return s.emit(frameId, event.setType(type));
  }

  static HistoryEventType entered(State state) {
    return switch (state) {
      case State.Pass p -> HistoryEventType.PassStateEntered;
      case State.Choice c -> HistoryEventType.ChoiceStateEntered;
      case State.Wait w -> HistoryEventType.WaitStateEntered;
      case State.Succeed x -> HistoryEventType.SucceedStateEntered;
      case State.Fail f -> HistoryEventType.FailStateEntered;
      case State.Task t -> HistoryEventType.TaskStateEntered;
      case State.Parallel p -> HistoryEventType.ParallelStateEntered;
      case State.Map m -> HistoryEventType.MapStateEntered;
    };
  }

  static HistoryEventType exited(State state) {
    return switch (state) {
      case State.Pass p -> HistoryEventType.PassStateExited;
      case State.Choice c -> HistoryEventType.ChoiceStateExited;
      case State.Wait w -> HistoryEventType.WaitStateExited;
      case State.Succeed x -> HistoryEventType.SucceedStateExited;
      case State.Task t -> HistoryEventType.TaskStateExited;
      case State.Parallel p -> HistoryEventType.ParallelStateExited;
      case State.Map m -> HistoryEventType.MapStateExited;
      case State.Fail f -> throw new IllegalStateException("a Fail state never exits");
    };
  }
}
