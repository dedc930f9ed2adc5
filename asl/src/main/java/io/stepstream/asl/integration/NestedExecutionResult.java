package io.stepstream.asl.integration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionStatus;

/**
 * The result of {@code arn:aws:states:::states:startExecution.sync} (and {@code .sync:2}) as AWS gives
 * it: the child's DescribeExecution, with {@code Input} and {@code Output} as JSON text ({@code .sync})
 * or as JSON ({@code .sync:2}). A child that did not succeed fails the parent's task with
 * {@code States.TaskFailed} and this result as the cause.
 */
public final class NestedExecutionResult {

  /** The error a parent's task fails with when its child did not succeed. */
  public static final String TASK_FAILED = "States.TaskFailed";

  private NestedExecutionResult() {}

  /**
   * @param input the child's input (JSON text)
   * @param output the child's output (JSON text), used when it succeeded
   * @param json {@code .sync:2}
   */
  public static ObjectNode describe(String executionArn, String stateMachineArn, String name, String input,
      ExecutionStatus status, String output, String error, String cause, long startMs, long stopMs, boolean json) {
    ObjectNode result = Json.object().put("ExecutionArn", executionArn);
    if (json) {
      result.set("Input", Json.parse(input));
    } else {
      result.put("Input", input);
    }
    result.set("InputDetails", Json.object().put("Included", true));
    result.put("Name", name);
    if (status == ExecutionStatus.SUCCEEDED) {
      if (json) {
        result.set("Output", Json.parse(output));
      } else {
        result.put("Output", output);
      }
      result.set("OutputDetails", Json.object().put("Included", true));
    } else {
      if (error != null && !error.isEmpty()) {
        result.put("Error", error);
      }
      if (cause != null && !cause.isEmpty()) {
        result.put("Cause", cause);
      }
    }
    if (json) {
      result.put("RedriveCount", 0);
      result.put("RedriveStatus", "NOT_REDRIVABLE");
    }
    result.put("StartDate", startMs);
    result.put("StateMachineArn", stateMachineArn);
    result.put("Status", status.name());
    result.put("StopDate", stopMs);
    return result;
  }
}
