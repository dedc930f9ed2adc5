package io.stepstream.asl.interpreter;

import io.stepstream.proto.ExecutionStateOrBuilder;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.WorkflowType;

/**
 * Whether an execution can be redriven now, and if not, why: the rules of AWS's RedriveExecution
 * (ExecutionNotRedrivable) and DescribeExecution's {@code redriveStatusReason}.
 *
 * <p>Pure: the caller passes the time. The gateway asks before it writes a RedriveExecution command;
 * the interpreter asks again when it processes one, so a race between two requests is decided once.
 */
public final class Redrivability {

  /** AWS redrives an execution only within 14 days of its end. */
  public static final long REDRIVABLE_PERIOD_MS = 14L * 24 * 3600 * 1000;
  /** AWS refuses to redrive an execution whose history reached this many events. */
  public static final long MAX_HISTORY_EVENTS = 24_999;

  private Redrivability() {}

  /**
   * The reason the execution cannot be redriven at {@code nowMs}, in AWS's words, or null when it can.
   *
   * @param state the execution (a stored state; never the empty state)
   */
  public static String refusal(ExecutionStateOrBuilder state, long nowMs) {
    if (state.getType() == WorkflowType.EXPRESS) {
      return "Execution of type EXPRESS cannot be redriven.";
    }
    ExecutionStatus status = state.getStatus();
    if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.PENDING_REDRIVE) {
      return "Execution is RUNNING and cannot be redriven.";
    }
    if (status == ExecutionStatus.SUCCEEDED) {
      return "Execution is SUCCEEDED and cannot be redriven.";
    }
    if (state.getLastEventId() >= MAX_HISTORY_EVENTS) {
      return "Execution history event limit exceeded.";
    }
    if (nowMs >= state.getStartTimeMs() + Interpreter.STANDARD_LIMIT_SECONDS * 1000) {
      return "Execution has exceeded the max execution time.";
    }
    if (nowMs > state.getStopTimeMs() + REDRIVABLE_PERIOD_MS) {
      return "Execution redrivable period exceeded.";
    }
    return null;
  }
}
