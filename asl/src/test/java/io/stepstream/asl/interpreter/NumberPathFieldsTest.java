package io.stepstream.asl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.StartMapRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The number fields of Map and Task states given as paths (MaxConcurrencyPath, ToleratedFailureCountPath,
 * ToleratedFailurePercentagePath, MaxItemsPerBatchPath, TimeoutSecondsPath, HeartbeatSecondsPath): what
 * they accept, and AWS's wording for what they refuse.
 */
class NumberPathFieldsTest {

  private static final String PREFIX = "An error occurred while executing the state 'Fan' (entered at the event id #2). ";

  /** A Distributed Map over the input's items with {@code fields} added to the state. */
  private static ExecutionHarness distributedMap(String fields) {
    return new ExecutionHarness("""
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items", "End": true, %s,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}}}}}""".formatted(fields));
  }

  private static StartMapRun startedMapRun(ExecutionHarness run) {
    return run.effects.stream().filter(Effect::hasStartMapRun).map(Effect::getStartMapRun).findFirst().orElseThrow();
  }

  private static void assertFailed(ExecutionHarness run, String cause) {
    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause()).isEqualTo(PREFIX + cause);
  }

  @ParameterizedTest(name = "ToleratedFailurePercentagePath {0}")
  @ValueSource(strings = {"0", "0.5", "12.25", "100", "\"33.3\""})
  void shouldAcceptAnyToleratedFailurePercentageFromZeroToHundredFromAPath(String value) {
    ExecutionHarness run = distributedMap("\"ToleratedFailurePercentagePath\": \"$.tolerance\"")
        .start("{\"items\": [1], \"tolerance\": " + value + "}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(startedMapRun(run).getToleratedFailurePercentage()).isEqualTo(Double.parseDouble(value.replace("\"", "")));
  }

  @Test
  void shouldAcceptAFractionalToleratedFailurePercentageLiteral() {
    ExecutionHarness run = distributedMap("\"ToleratedFailurePercentage\": 7.5").start("{\"items\": [1]}");

    assertThat(startedMapRun(run).getToleratedFailurePercentage()).isEqualTo(7.5);
  }

  @Test
  void shouldAcceptAFractionalToleratedFailurePercentageFromJsonata() {
    ExecutionHarness run = new ExecutionHarness("""
        {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
          "Items": "{% $states.input.items %}", "ToleratedFailurePercentage": "{% $states.input.tolerance / 4 %}",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}}}}}""");

    run.start("{\"items\": [1], \"tolerance\": 3}");

    assertThat(startedMapRun(run).getToleratedFailurePercentage()).isEqualTo(0.75);
  }

  @ParameterizedTest(name = "ToleratedFailurePercentagePath {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "100.5       | ToleratedFailurePercentage must be between 0 and 100.",
      "-0.01       | ToleratedFailurePercentage must be between 0 and 100.",
      "\"many\"    | The ToleratedFailurePercentagePath field refers to value \"many\" which is not a valid float: $.tolerance",
      "[5]         | The ToleratedFailurePercentagePath field refers to value \"[5]\" which is not a valid float: $.tolerance"})
  void shouldRefuseAToleratedFailurePercentageOutsideZeroToHundredOrNotANumber(String value, String cause) {
    ExecutionHarness run = distributedMap("\"ToleratedFailurePercentagePath\": \"$.tolerance\"")
        .start("{\"items\": [1], \"tolerance\": " + value + "}");

    assertFailed(run, cause);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "MaxConcurrencyPath        | 2.5  | The MaxConcurrencyPath field refers to value \"2.5\" which is not a valid integer: $.n",
      "ToleratedFailureCountPath | 0.5  | The ToleratedFailureCountPath field refers to value \"0.5\" which is not a valid integer: $.n",
      "ToleratedFailureCountPath | -2   | ToleratedFailureCount cannot be negative.",
      "ToleratedFailureCountPath | {}   | The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid integer: $.n"})
  void shouldRefuseAMapCountThatIsNotAnInteger(String field, String value, String cause) {
    ExecutionHarness run = distributedMap("\"" + field + "\": \"$.n\"").start("{\"items\": [1], \"n\": " + value + "}");

    assertFailed(run, cause);
  }

  @Test
  void shouldRefuseAFractionalMaxItemsPerBatchPath() {
    ExecutionHarness run = distributedMap("\"ItemBatcher\": {\"MaxItemsPerBatchPath\": \"$.n\"}")
        .start("{\"items\": [1], \"n\": 1.5}");

    assertFailed(run, "The MaxItemsPerBatchPath field refers to value \"1.5\" which is not a valid integer: $.n");
  }

  /** A Distributed Map reading a CSV object, with MaxItemsPath {@code $.limit}. */
  private static ExecutionHarness csvMap() {
    return new ExecutionHarness("""
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Map", "End": true,
          "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
            "Parameters": {"Bucket": "b", "Key": "items.csv"},
            "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItemsPath": "$.limit"}},
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}}}}}""");
  }

  @Test
  void shouldRefuseAFractionalMaxItemsPath() {
    assertFailed(csvMap().start("{\"limit\": 1.5}"),
        "The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.limit");
  }

  @Test
  void shouldLeaveANegativeMaxItemsPathToTheItemReader() {
    // AWS starts the map run and fails it with States.ItemReaderFailed ("field MaxItems must be positive").
    ExecutionHarness run = csvMap().start("{\"limit\": -1}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.RUNNING);
    assertThat(startedMapRun(run).getItemReader()).contains("\"MaxItems\":-1");
  }

  @ParameterizedTest(name = "{0} selects nothing")
  @ValueSource(strings = {"TimeoutSecondsPath", "HeartbeatSecondsPath"})
  void shouldWordATaskSecondsPathThatSelectsNothingAsAnInvalidPath(String field) {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Fan", "States": {"Fan": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "%s": "$.limits.none", "End": true}}}""".formatted(field));

    run.start("{\"limits\": {}}");

    assertFailed(run, "Invalid path '$.limits.none' : No results for path: $['limits']['none']");
  }
}
