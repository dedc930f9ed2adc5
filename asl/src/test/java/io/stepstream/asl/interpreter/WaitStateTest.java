package io.stepstream.asl.interpreter;

import static io.stepstream.proto.HistoryEventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.proto.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A Wait state's SecondsPath and TimestampPath: what AWS accepts, and how it words what it refuses. */
class WaitStateTest {

  private static final String PREFIX = "An error occurred while executing the state 'Pause' (entered at the event id #2). ";

  private static ExecutionHarness waitFor(String field) {
    return new ExecutionHarness("""
        {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "%s": "$.until.it", "End": true}}}"""
        .formatted(field));
  }

  // AWS's recorded cases show -1 (negative) and 1.5 and -1.5 (not a long); the rest follow the same rule.
  // A string holding digits is refused like any other non-number.
  @ParameterizedTest(name = "SecondsPath value {0}")
  @CsvSource(delimiter = '|', value = {
      "-7      | The SecondsPath parameter references a negative value: $.until.it == -7",
      "2.5     | The SecondsPath parameter cannot be parsed as a long value: $.until.it == 2.5",
      "-0.5    | The SecondsPath parameter cannot be parsed as a long value: $.until.it == -0.5",
      "3.0     | The SecondsPath parameter cannot be parsed as a long value: $.until.it == 3.0",
      "99999999999999999999 | The SecondsPath parameter cannot be parsed as a long value: $.until.it == 99999999999999999999",
      "\"5\"   | The SecondsPath parameter cannot be parsed as a long value: $.until.it == 5",
      "null    | The SecondsPath parameter cannot be parsed as a long value: $.until.it == null"})
  void shouldFailASecondsPathThatIsNotANonNegativeInteger(String value, String cause) {
    ExecutionHarness run = waitFor("SecondsPath").start("{\"until\": {\"it\": " + value + "}}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause()).isEqualTo(PREFIX + cause);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, WaitStateEntered, ExecutionFailed);
  }

  @Test
  void shouldFailASecondsPathThatSelectsNothing() {
    ExecutionHarness run = waitFor("SecondsPath").start("{\"until\": {}}");

    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause())
        .isEqualTo(PREFIX + "The SecondsPath parameter does not reference an input value: $.until.it");
  }

  @Test
  void shouldWaitZeroSecondsWithoutATimer() {
    ExecutionHarness run = waitFor("SecondsPath").start("{\"until\": {\"it\": 0}}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.stateTimers()).isEmpty();
  }

  @ParameterizedTest(name = "SecondsPath {0}")
  @ValueSource(strings = {"2147483648", "9223372036854775807"})
  void shouldFailADelayLongerThanAwsHolds(String seconds) {
    ExecutionHarness run = waitFor("SecondsPath").start("{\"until\": {\"it\": " + seconds + "}}");

    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause()).isEqualTo(PREFIX + "Wait state delay is too long.");
  }

  @Test
  void shouldWaitTheLongestDelayAwsHolds() {
    ExecutionHarness run = waitFor("SecondsPath").start("{\"until\": {\"it\": 2147483647}}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(run.stateTimers()).singleElement()
        .satisfies(t -> assertThat(t.getDueTimeMs()).isEqualTo(run.now + 2_147_483_647_000L));
  }

  @ParameterizedTest(name = "TimestampPath {0} days ahead")
  @CsvSource({"24855, RUNNING", "24856, FAILED"})
  void shouldRefuseATimestampMoreThanTwoToThe31SecondsAhead(int days, ExecutionStatus status) {
    ExecutionHarness run = waitFor("TimestampPath");
    String until = Instant.ofEpochMilli(run.now).plus(Duration.ofDays(days)).toString();

    run.start("{\"until\": {\"it\": \"" + until + "\"}}");

    assertThat(run.state.getStatus()).isEqualTo(status);
    if (status == ExecutionStatus.FAILED) {
      assertThat(run.state.getCause()).isEqualTo(PREFIX + "Wait state delay is too long.");
    }
  }

  @ParameterizedTest(name = "TimestampPath value {0}")
  @CsvSource(delimiter = '|', value = {
      "\"2024-02-30T00:00:00Z\" | 2024-02-30T00:00:00Z",
      "\"2024-01-01 10:00:00Z\" | 2024-01-01 10:00:00Z",
      "1704067200              | 1704067200"})
  void shouldFailATimestampPathThatIsNotATimestamp(String value, String shown) {
    ExecutionHarness run = waitFor("TimestampPath").start("{\"until\": {\"it\": " + value + "}}");

    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause()).isEqualTo(PREFIX + "The TimestampPath parameter does not reference a valid"
        + " ISO-8601 extended offset date-time format string: $.until.it == " + shown);
  }
}
