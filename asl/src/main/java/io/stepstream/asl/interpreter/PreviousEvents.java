package io.stepstream.asl.interpreter;

import io.stepstream.proto.ExecutionStateOrBuilder;
import io.stepstream.proto.HistoryEventType;

/**
 * previousEventId as Step Functions chains it: usually the event just before, but an event that AWS
 * emits as a sibling of the one before shares that event's predecessor. The rules come from the
 * histories recorded against AWS in the conformance corpus:
 *
 * <ul>
 *   <li>the first state's Entered event follows nothing (0), like ExecutionStarted;</li>
 *   <li>an EvaluationFailed follows what its state's Entered event follows (but a Wait's follows the
 *       WaitStateEntered: a Wait evaluates its time after entering);</li>
 *   <li>a MapIterationStarted after a MapIterationSucceeded, and MapStateFailed or a retried
 *       MapStateStarted after a MapIterationFailed, follow the last event of the finished iteration;</li>
 *   <li>a MapStateExited after MapStateSucceeded follows what MapStateSucceeded follows, and so does a
 *       ParallelStateExited after ParallelStateSucceeded (the recorded Parallel histories drop the
 *       ParallelStateSucceeded event but keep the ids around it: ParallelStateExited, two ids after the
 *       last branch event, follows that event).</li>
 * </ul>
 */
final class PreviousEvents {

  private PreviousEvents() {}

  /**
   * @param state the execution before the event (its last visible event's type and predecessor)
   * @param id the id of the event being emitted
   */
  static long previousEventId(ExecutionStateOrBuilder state, HistoryEventType type, long id) {
    if (id == 1) {
      return 0;
    }
    return isSibling(state.getLastEventType(), type) ? state.getLastPreviousEventId() : id - 1;
  }

  private static boolean isSibling(HistoryEventType before, HistoryEventType type) {
    return switch (before) {
      case ExecutionStarted -> type.name().endsWith("StateEntered");
      case MapIterationSucceeded -> type == HistoryEventType.MapIterationStarted;
      case MapIterationFailed -> type == HistoryEventType.MapStateFailed || type == HistoryEventType.MapStateStarted;
      case MapStateSucceeded -> type == HistoryEventType.MapStateExited;
      case ParallelStateSucceeded -> type == HistoryEventType.ParallelStateExited;
      default -> before != HistoryEventType.WaitStateEntered && before.name().endsWith("StateEntered")
          && type == HistoryEventType.EvaluationFailed;
    };
  }
}
