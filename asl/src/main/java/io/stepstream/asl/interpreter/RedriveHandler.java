package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.definition.State;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionRedrivenEventDetails;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.MapRunRedrivenEventDetails;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import io.stepstream.proto.WorkflowType;
import java.util.ArrayList;
import java.util.List;

/**
 * RedriveExecution: an execution that failed, timed out or was aborted runs again from the states
 * that did not finish. A flow that succeeded is kept; a Parallel runs again only its branches that
 * did not succeed, a Map only its iterations that did not succeed (and those it never started);
 * inside each such flow the state it stopped in is entered again with the input it had.
 */
final class RedriveHandler {

  private RedriveHandler() {}

  static Step.Rejection redrive(Runner runner, Command command) {
    Session s = runner.s;
    if (s.state.getStatus() == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
      return new Step.Rejection("ExecutionDoesNotExist", "Execution Does Not Exist: '" + command.getExecutionArn() + "'");
    }
    String token = command.getRedriveExecution().getClientToken();
    if (!token.isEmpty() && token.equals(s.state.getRedriveClientToken())) {
      return null; // the same request again (a client retry): it was done, whatever happened since
    }
    String refusal = Redrivability.refusal(s.state, s.now);
    if (refusal != null) {
      return new Step.Rejection("ExecutionNotRedrivable", refusal);
    }
    // The time limit restarts, but a STANDARD execution never runs past a year from its first start.
    long due = s.now + Interpreter.timeLimitSeconds(s.definition, s.state.getType()) * 1000;
    if (s.state.getType() == WorkflowType.STANDARD) {
      due = Math.min(due, s.state.getStartTimeMs() + Interpreter.STANDARD_LIMIT_SECONDS * 1000);
    }
    TimerRef timer = TimerRef.newBuilder().setTimerId(s.nextTimerId("x")).setPurpose(TimerPurpose.EXECUTION_TIMEOUT)
        .setDueTimeMs(due).build();
    runner.emit("", HistoryEventType.ExecutionRedriven, HistoryEvent.newBuilder().addTimers(timer)
        .setExecutionRedrivenEventDetails(ExecutionRedrivenEventDetails.newBuilder()
            .setRedriveCount(s.state.getRedriveCount() + 1).setClientToken(token)));
    redriveFlow(runner, "");
    return null;
  }

  /** Runs a flow that did not finish again from the state it stopped in. */
  static void redriveFlow(Runner runner, String frameId) {
    Session s = runner.s;
    FrameOrBuilder frame = s.frame(frameId);
    if (frame == null || frame.getStatus() == FrameStatus.FRAME_SUCCEEDED || s.state.getStatus() != ExecutionStatus.RUNNING) {
      return;
    }
    if (!frame.getEntered()) {
      runner.advance(frameId);
      return;
    }
    State state = s.machine(frameId).state(frame.getStateName());
    JsonNode raw = s.json(frame.getData());
    if (state instanceof State.Parallel parallel && frame.hasParallel()) {
      redriveBranches(runner, frameId, parallel, raw);
    } else if (state instanceof State.Map map && map.distributed()) {
      DistributedMapHandler.redrive(runner, frameId, map, raw, frame);
    } else if (state instanceof State.Map map && frame.hasMap()) {
      redriveIterations(runner, frameId, map, raw, frame);
    } else {
      runner.enter(frameId, state, raw);
    }
    runner.advance(frameId);
  }

  private static void redriveBranches(Runner runner, String frameId, State.Parallel parallel, JsonNode raw) {
    Session s = runner.s;
    for (int k = 0; k < parallel.branches().size(); k++) {
      String branchId = Frames.branchId(frameId, k);
      if (s.frame(branchId) == null) {
        // A branch the failure stopped before it started: it starts now, as it would have.
        JsonNode input = s.input(frameId, parallel, raw);
        runner.startFlow(branchId, InputOutput.effectiveInput(parallel.flow(), s.scope(frameId, parallel, input, null)));
      } else {
        redriveFlow(runner, branchId);
      }
      if (s.failedFlows.containsKey(branchId) || s.state.getStatus() != ExecutionStatus.RUNNING) {
        break;
      }
    }
    ParallelHandler.check(runner, frameId, parallel, raw);
  }

  private static void redriveIterations(Runner runner, String frameId, State.Map map, JsonNode raw, FrameOrBuilder frame) {
    Session s = runner.s;
    if (!frame.getMapOrBuilder().getMapRunArn().isEmpty()) {
      runner.emit(frameId, HistoryEventType.MapRunRedriven, HistoryEvent.newBuilder().setChildExecution(false)
          .setMapRunRedrivenEventDetails(MapRunRedrivenEventDetails.newBuilder()
              .setMapRunArn(frame.getMapOrBuilder().getMapRunArn()).setRedriveCount(s.state.getRedriveCount())));
    }
    List<Integer> running = new ArrayList<>();
    for (FrameOrBuilder iteration : frame.getMapOrBuilder().getRunningOrBuilderList()) {
      running.add(iteration.getIndex());
    }
    for (int index : running) {
      String iterationId = Frames.iterationId(frameId, index);
      redriveFlow(runner, iterationId);
      if (s.failedFlows.containsKey(iterationId) || s.state.getStatus() != ExecutionStatus.RUNNING) {
        break;
      }
    }
    // Reaps what the redriven iterations did, then starts the reopened and the never started ones.
    MapHandler.fill(runner, frameId, map, raw);
  }
}
