package io.stepstream.asl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.proto.ExecutionStatus;
import org.junit.jupiter.api.Test;

/** A name is taken once: AWS's StartExecution idempotency, decided by the execution's single writer. */
class StartIdempotencyTest {

  private static final String WAITS = """
      {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}""";

  @Test
  void shouldAcceptTheSameNameAndInputAgainWhileItRunsAndChangeNothing() {
    ExecutionHarness run = new ExecutionHarness(WAITS).start("{\"a\": 1, \"b\": [1, 2]}");
    var before = run.state;
    int events = run.history.size();

    // The same JSON, written differently, is the same input.
    run.start("{\"b\":[1,2],\"a\":1}");

    assertThat(run.last.rejected()).isFalse();
    assertThat(run.last.events()).isEmpty();
    assertThat(run.last.effects()).isEmpty();
    assertThat(run.state).isEqualTo(before);
    assertThat(run.history).hasSize(events);
  }

  @Test
  void shouldRefuseTheSameNameWithOtherInput() {
    ExecutionHarness run = new ExecutionHarness(WAITS).start("{\"a\": 1}");
    var before = run.state;

    run.start("{\"a\": 2}");

    assertThat(run.last.rejection()).isEqualTo(new Step.Rejection("ExecutionAlreadyExists",
        "Execution Already Exists: '" + ExecutionHarness.ARN + "'"));
    assertThat(run.state).isEqualTo(before);
  }

  @Test
  void shouldRefuseTheSameNameAndInputOnceTheExecutionEnded() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""").start("{}");
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);

    run.start("{}");

    assertThat(run.last.rejection().type()).isEqualTo("ExecutionAlreadyExists");
  }
}
