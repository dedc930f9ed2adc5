package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;

/**
 * The Parallel state: every branch runs with the same input; the result is the array of branch
 * outputs; the first branch to fail fails the state (the other branches are dropped).
 *
 * <p>Events, as AWS shows them: ParallelStateEntered, ParallelStateStarted, the branches' events,
 * then ParallelStateSucceeded and ParallelStateExited, or ParallelStateFailed (and ParallelStateExited
 * when a Catch takes it).
 */
final class ParallelHandler {

  private ParallelHandler() {}

  static void run(Runner runner, String frameId, State.Parallel parallel, JsonNode raw) {
    JsonNode input = runner.s.input(frameId, parallel, raw);
    JsonNode branchInput = InputOutput.effectiveInput(parallel.flow(), runner.s.scope(frameId, parallel, input, null));
    runner.emit(frameId, HistoryEventType.ParallelStateStarted, HistoryEvent.newBuilder());
    for (int k = 0; k < parallel.branches().size(); k++) {
      String branchId = Frames.branchId(frameId, k);
      runner.startFlow(branchId, branchInput);
      if (runner.s.failedFlows.containsKey(branchId)) {
        break;
      }
    }
    check(runner, frameId, parallel, raw);
  }

  /** Called when a branch moved: fails or completes the state when it can. */
  static void check(Runner runner, String frameId, State.Parallel parallel, JsonNode raw) {
    Session s = runner.s;
    for (int k = 0; k < parallel.branches().size(); k++) {
      Session.Failure failure = s.failedFlows.remove(Frames.branchId(frameId, k));
      if (failure != null) {
        // AWS shows ParallelStateFailed only when the state is not retried.
        if (!runner.retry(frameId, parallel, failure.error())) {
          runner.emit(frameId, HistoryEventType.ParallelStateFailed, HistoryEvent.newBuilder());
          runner.catchOrFail(frameId, parallel, raw, failure.error(), failure.cause());
        }
        return;
      }
    }
    FrameOrBuilder frame = s.frame(frameId);
    if (!frame.hasParallel() || frame.getParallelOrBuilder().getBranchesCount() < parallel.branches().size()) {
      return;
    }
    ArrayNode results = Json.array();
    for (FrameOrBuilder branch : frame.getParallelOrBuilder().getBranchesOrBuilderList()) {
      if (branch.getStatus() != FrameStatus.FRAME_SUCCEEDED) {
        return;
      }
      results.add(s.json(branch.getData()));
    }
    runner.emit(frameId, HistoryEventType.ParallelStateSucceeded, HistoryEvent.newBuilder());
    JsonNode input = runner.s.input(frameId, parallel, raw);
    EvaluationScope scope = s.scope(frameId, parallel, input, null);
    runner.succeed(frameId, parallel, raw, results, scope);
  }
}
