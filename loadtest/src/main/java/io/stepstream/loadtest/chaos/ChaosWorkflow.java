package io.stepstream.loadtest.chaos;

import java.util.List;

/**
 * The STANDARD workflow every chaos execution runs: an HTTP Task, a Wait (so that executions are in
 * flight while processes die), another HTTP Task, Succeed. Each Task posts its idempotency key,
 * {@code <execution name>/<state name>/<retry count>}, to the {@link SideEffectSink}. No Retry and
 * no Catch: a task that fails fails the execution, and the report says so.
 */
final class ChaosWorkflow {

  /** The Task states, in order; each execution that succeeds called the sink once for each (at least). */
  static final List<String> TASKS = List.of("Reserve", "Ship");

  private ChaosWorkflow() {}

  /** The ASL definition, its Tasks calling {@code sinkUrl}. */
  static String definition(String sinkUrl) {
    String task = """
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
          "Parameters": {"ApiEndpoint": "%s", "Method": "POST",
            "RequestBody": {"key.$": "States.Format('{}/{}/{}', $$.Execution.Name, $$.State.Name, $$.State.RetryCount)"}},
          "ResultPath": null, "Next": "%s"}""";
    return """
        {"Comment": "Stepstream chaos run: two side effects around a wait",
         "StartAt": "Reserve",
         "States": {
           "Reserve": %s,
           "Sleep": {"Type": "Wait", "SecondsPath": "$.waitSeconds", "Next": "Ship"},
           "Ship": %s,
           "Done": {"Type": "Succeed"}}}""".formatted(task.formatted(sinkUrl, "Sleep"), task.formatted(sinkUrl, "Done"));
  }

  /** An execution's input: how long it waits. */
  static String input(int index, int waitSeconds) {
    return "{\"index\":" + index + ",\"waitSeconds\":" + waitSeconds + "}";
  }

  /** The idempotency key a task of this execution sends on its first attempt. */
  static String firstAttemptKey(String executionName, String task) {
    return executionName + "/" + task + "/0";
  }
}
