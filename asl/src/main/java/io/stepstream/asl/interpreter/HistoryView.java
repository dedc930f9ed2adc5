package io.stepstream.asl.interpreter;

import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;

/** Which history events the Step Functions API shows. */
public final class HistoryView {

  private HistoryView() {}

  /**
   * False for internal events (retry scheduling, timers, heartbeats) and for events of a Distributed
   * Map's child executions, which AWS keeps out of the parent's history.
   */
  public static boolean isVisible(io.stepstream.proto.HistoryEventOrBuilder event) {
    return event.getTypeValue() < HistoryEventType.RetryScheduled_VALUE && !event.getChildExecution();
  }
}
