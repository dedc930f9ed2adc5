package io.stepstream.maprun.writer;

import java.util.Objects;
import java.util.Set;

/**
 * One child execution of a finished Map Run, as the ResultWriter exports it.
 *
 * @param executionArn the child's execution ARN; null for a child that never started
 * @param name the child's execution name; null for a child that never started
 * @param stateMachineArn the ARN the child ran under; null for a child that never started
 * @param status {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT}, {@code ABORTED} (those three go to
 *     {@code FAILED_n.json}) or {@code PENDING} (never started because the Map Run failed or was aborted)
 * @param input the child's input JSON text; null if not known
 * @param output the child's output JSON text; null when it has none (failed or never started)
 * @param error the error name of a failed child, or null
 * @param cause the cause of a failed child, or null
 * @param startDate start time in epoch milliseconds; 0 when it never started
 * @param stopDate stop time in epoch milliseconds; 0 when it never started
 * @param redriveCount how often the child was redriven
 * @param redriveStatus e.g. {@code NOT_REDRIVABLE}, {@code REDRIVABLE_BY_MAP_RUN}; null if not known
 * @param redriveStatusReason why it cannot be redriven, or null
 */
public record ChildResult(String executionArn, String name, String stateMachineArn, String status, String input,
    String output, String error, String cause, long startDate, long stopDate, int redriveCount,
    String redriveStatus, String redriveStatusReason) {

  /** The statuses a child of a finished Map Run can have. */
  public static final Set<String> STATUSES = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING");

  /**
   * @throws IllegalArgumentException {@code status} is not one of {@link #STATUSES} (a child still
   *     running has no place in the results of a finished Map Run)
   */
  public ChildResult {
    Objects.requireNonNull(status, "status");
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("a finished Map Run has no child with status " + status);
    }
  }

  /**
   * A result whose RedriveStatusReason is AWS's for a succeeded child ("Execution is SUCCEEDED and
   * cannot be redriven") when it is {@code NOT_REDRIVABLE}, else none.
   */
  public ChildResult(String executionArn, String name, String stateMachineArn, String status, String input,
      String output, String error, String cause, long startDate, long stopDate, int redriveCount,
      String redriveStatus) {
    this(executionArn, name, stateMachineArn, status, input, output, error, cause, startDate, stopDate,
        redriveCount, redriveStatus,
        "SUCCEEDED".equals(status) && "NOT_REDRIVABLE".equals(redriveStatus)
            ? "Execution is SUCCEEDED and cannot be redriven" : null);
  }

  /** The result file group: {@code SUCCEEDED}, {@code FAILED} or {@code PENDING}. */
  public String group() {
    return switch (status) {
      case "SUCCEEDED" -> "SUCCEEDED";
      case "PENDING" -> "PENDING";
      default -> "FAILED";
    };
  }
}
