package io.stepstream.asl.teststate;

import java.util.Objects;

/**
 * A TestState request, as the API carries it, with the edge's time and seed.
 *
 * @param definition the state's definition (JSON text), or a whole state machine when {@code stateName} is set
 * @param stateName the state of {@code definition} to test, or null when {@code definition} is one state
 * @param input the state's input (JSON text); null means {@code {}}
 * @param variables the workflow variables the state sees (a JSON object as text), or null
 * @param level what the answer shows
 * @param mock the mocked result or error of a Task, Map or Parallel state, or null
 * @param retrierRetryCount how many retries the Retry rule matching a mocked error has already made
 * @param roleArn the execution role (required to test a Task state), or null
 * @param stateMachineArn the ARN the state's context object names as the state machine
 * @param executionArn the ARN the state's context object names as the execution
 * @param timeMs when the test runs (the context object's start and entered times)
 * @param seed the seed of the state's randomness (States.UUID, $random, retry jitter)
 */
public record TestStateRequest(
    String definition,
    String stateName,
    String input,
    String variables,
    InspectionLevel level,
    Mock mock,
    int retrierRetryCount,
    String roleArn,
    String stateMachineArn,
    String executionArn,
    long timeMs,
    long seed) {

  public TestStateRequest {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(stateMachineArn, "stateMachineArn");
    Objects.requireNonNull(executionArn, "executionArn");
  }

  /** What TestState shows: INFO the outcome, DEBUG and TRACE also each data-flow step. */
  public enum InspectionLevel { INFO, DEBUG, TRACE }

  /**
   * A mocked outcome of the state's work: exactly one of {@code result} (JSON text) and {@code error}.
   *
   * @param cause the mocked error's cause; may be null
   */
  public record Mock(String result, String error, String cause) {}
}
