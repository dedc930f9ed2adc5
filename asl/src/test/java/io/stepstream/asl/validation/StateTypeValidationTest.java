package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlyError;
import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.machine;
import static io.stepstream.asl.validation.Definitions.validate;
import static io.stepstream.asl.validation.Definitions.validateJsonataState;
import static io.stepstream.asl.validation.Definitions.validateState;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks of Wait, Fail, Task, Parallel and Map states. */
class StateTypeValidationTest {

  private static final String PROCESSOR = "'ItemProcessor': {'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}";
  private static final String MAP = "'Type': 'Map', 'End': true, " + PROCESSOR + ", ";

  @ParameterizedTest
  @ValueSource(strings = {"'Seconds': 0", "'Timestamp': '2016-03-14T01:59:00Z'", "'SecondsPath': '$.s'",
      "'TimestampPath': '$.t'", "'Timestamp': '2016-03-05T21:29:29.243167252+01:00'"})
  void shouldAcceptAWaitWithOneDuration(String duration) {
    assertValid(validateState("'Type': 'Wait', 'End': true, " + duration));
  }

  @Test
  void shouldReportAWaitWithoutDuration() {
    assertOnlySchemaError(validateState("'Type': 'Wait', 'End': true"),
        "Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] must be set", "/States/A");
  }

  @Test
  void shouldReportAWaitWithTwoDurations() {
    assertOnlySchemaError(validateState("'Type': 'Wait', 'End': true, 'Seconds': 1, 'SecondsPath': '$.s'"),
        "Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] must be set", "/States/A");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-13-05T21:29:29Z", "2016-02-30T21:29:29Z", "2016-12-05T21:29:29", "2016-12-05t21:29:29Z"})
  void shouldReportATimestampThatIsNotRfc3339(String timestamp) {
    assertOnlySchemaError(validateState("'Type': 'Wait', 'End': true, 'Timestamp': '" + timestamp + "'"),
        "String does not match RFC3339 timestamp", "/States/A/Timestamp");
  }

  @Test
  void shouldReportNegativeSeconds() {
    assertOnlySchemaError(validateState("'Type': 'Wait', 'End': true, 'Seconds': -1"), "Minimum value is 0",
        "/States/A/Seconds");
  }

  @Test
  void shouldAcceptJsonataSecondsAndRejectAPathInIt() {
    assertValid(validateJsonataState("'Type': 'Wait', 'End': true, 'Seconds': '{% $states.input.s %}'"));
    assertOnlySchemaError(validateState("'Type': 'Wait', 'End': true, 'Seconds': '$.s'"),
        "Expected value of type Integer", "/States/A/Seconds");
  }

  @Test
  void shouldReportFailWithErrorAndErrorPath() {
    assertOnlySchemaError(validateState("'Type': 'Fail', 'Error': 'E', 'ErrorPath': '$.e'"),
        "Only one of the fields [Error, ErrorPath] can be set", "/States/A");
  }

  @Test
  void shouldReportFailWithCauseAndCausePath() {
    assertOnlySchemaError(validateState("'Type': 'Fail', 'Cause': 'C', 'CausePath': '$.c'"),
        "Only one of the fields [Cause, CausePath] can be set", "/States/A");
  }

  @Test
  void shouldAcceptAnIntrinsicInCausePath() {
    assertValid(validateState("'Type': 'Fail', 'ErrorPath': '$$.State.Name', 'CausePath': 'States.Format(`{}`, $.c)'"));
  }

  @Test
  void shouldReportAnInvalidErrorPath() {
    assertOnlySchemaError(validateState("'Type': 'Fail', 'ErrorPath': 'oops'"),
        "The value for the field 'ErrorPath' must be a valid JSONPath or a valid intrinsic function call",
        "/States/A/ErrorPath");
  }

  @Test
  void shouldReportATaskWithoutResource() {
    assertOnlySchemaError(validateState("'Type': 'Task', 'End': true"), "These fields are required: [Resource]",
        "/States/A");
  }

  @Test
  void shouldReportAResourceThatIsNotAnArn() {
    assertOnlyError(validateState("'Type': 'Task', 'End': true, 'Resource': 'lambda'"), "INVALID_RESOURCE",
        "Resource must be a valid ARN: lambda", "/States/A/Resource");
  }

  @Test
  void shouldReportTimeoutSecondsWithTimeoutSecondsPath() {
    assertOnlySchemaError(validateState("'Type': 'Task', 'End': true, 'Resource': 'arn:aws:states:::x',"
        + " 'TimeoutSeconds': 5, 'TimeoutSecondsPath': '$.t'"),
        "Only one of the fields [TimeoutSeconds, TimeoutSecondsPath] can be set", "/States/A");
  }

  @Test
  void shouldReportAHeartbeatNotShorterThanTheTimeout() {
    assertOnlySchemaError(validateState("'Type': 'Task', 'End': true, 'Resource': 'arn:aws:states:::x',"
        + " 'TimeoutSeconds': 5, 'HeartbeatSeconds': 5"),
        "HeartbeatSeconds must be smaller than TimeoutSeconds", "/States/A/HeartbeatSeconds");
  }

  @Test
  void shouldReportAParallelWithoutBranches() {
    assertOnlySchemaError(validateState("'Type': 'Parallel', 'End': true, 'Branches': []"), "Value cannot be empty",
        "/States/A/Branches");
  }

  @Test
  void shouldValidateBranchesRecursivelyWithTheirPointers() {
    ValidationResult result = validateState("'Type': 'Parallel', 'End': true, 'Branches': ["
        + "{'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}},"
        + "{'StartAt': 'Q', 'States': {'Q': {'Type': 'Pass', 'End': true, 'Result': 1, 'Bad': 1}}, 'Extra': 1}]");

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Field 'Extra' is not supported", "/States/A/Branches/1"),
        org.assertj.core.groups.Tuple.tuple("Field 'Bad' is not supported", "/States/A/Branches/1/States/Q"));
  }

  @Test
  void shouldReportABranchWithoutStates() {
    assertOnlySchemaError(validateState("'Type': 'Parallel', 'End': true, 'Branches': [{'StartAt': 'P'}]"),
        "These fields are required: [States]", "/States/A/Branches/0");
  }

  @Test
  void shouldAcceptADistributedMapWithEveryField() {
    assertValid(validateState("'Type': 'Map', 'End': true, 'Label': 'L', 'ItemsPath': '$.items',"
        + " 'ItemSelector': {'v.$': '$$.Map.Item.Value'}, 'MaxConcurrency': 5, 'ToleratedFailurePercentage': 10,"
        + " 'ToleratedFailureCountPath': '$.n', 'ResultPath': '$.r',"
        + " 'ItemReader': {'Resource': 'arn:aws:states:::s3:getObject', 'ReaderConfig': {'InputType': 'JSON'},"
        + "   'Parameters': {'Bucket.$': '$.b', 'Key': 'k'}},"
        + " 'ItemBatcher': {'MaxItemsPerBatch': 10, 'BatchInput': {'x': 1}},"
        + " 'ResultWriter': {'Resource': 'arn:aws:states:::s3:putObject', 'Parameters': {'Bucket': 'b'}},"
        + " 'ItemProcessor': {'ProcessorConfig': {'Mode': 'DISTRIBUTED', 'ExecutionType': 'STANDARD'},"
        + "   'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}"));
  }

  @Test
  void shouldAcceptTheOlderIteratorAndParameters() {
    assertValid(validateState("'Type': 'Map', 'End': true, 'Parameters': {'v.$': '$$.Map.Item.Value'},"
        + " 'Iterator': {'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}"));
  }

  @Test
  void shouldReportAMapWithoutProcessor() {
    assertOnlySchemaError(validateState("'Type': 'Map', 'End': true"), "These fields are required: [ItemProcessor]",
        "/States/A");
  }

  @Test
  void shouldReportAMapWithItemProcessorAndIterator() {
    ValidationResult result = validateState(MAP + "'Iterator': {'StartAt': 'Q', 'States': {'Q': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "Only one of the fields [ItemProcessor, Iterator] can be set", "/States/A");
  }

  @Test
  void shouldValidateTheItemProcessorRecursively() {
    ValidationResult result = validateState("'Type': 'Map', 'End': true, 'ItemProcessor': {'StartAt': 'P',"
        + " 'States': {'P': {'Type': 'Pass', 'Next': 'Z'}}}");

    assertThat(result.diagnostics()).extracting(Diagnostic::code, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("MISSING_TRANSITION_TARGET", "/States/A/ItemProcessor/States/P/Next"),
        org.assertj.core.groups.Tuple.tuple("MISSING_END_STATE", "/States/A/ItemProcessor"));
  }

  @Test
  void shouldReportAnUnknownProcessorMode() {
    ValidationResult result = validateState("'Type': 'Map', 'End': true, 'ItemProcessor': {'ProcessorConfig':"
        + " {'Mode': 'PARALLEL'}, 'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "Value should be one of the following: [INLINE, DISTRIBUTED]",
        "/States/A/ItemProcessor/ProcessorConfig/Mode");
  }

  @Test
  void shouldReportMaxConcurrencyWithMaxConcurrencyPath() {
    assertOnlySchemaError(validateState(MAP + "'MaxConcurrency': 1, 'MaxConcurrencyPath': '$.m'"),
        "Only one of the fields [MaxConcurrency, MaxConcurrencyPath] can be set", "/States/A");
  }

  @Test
  void shouldReportAToleratedFailurePercentageAbove100() {
    assertOnlySchemaError(validateState(MAP + "'ToleratedFailurePercentage': 101"), "Maximum value is 100",
        "/States/A/ToleratedFailurePercentage");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'ToleratedFailurePercentage': 0", "'ToleratedFailurePercentage': 0.5",
      "'ToleratedFailurePercentage': 99.99", "'ToleratedFailurePercentage': 100",
      "'ToleratedFailurePercentagePath': '$.p'"})
  void shouldAcceptAnyToleratedFailurePercentageFromZeroToHundred(String field) {
    assertValid(validateState(MAP + field));
  }

  @ParameterizedTest
  @ValueSource(strings = {"'{% 12.5 %}'", "'{% $states.input.p %}'"})
  void shouldAcceptAToleratedFailurePercentageExpressionInJsonata(String expression) {
    assertValid(validateJsonataState(MAP + "'ToleratedFailurePercentage': " + expression));
  }

  @Test
  void shouldReportAToleratedFailurePercentageJustBelowZero() {
    assertOnlySchemaError(validateState(MAP + "'ToleratedFailurePercentage': -0.5"), "Minimum value is 0",
        "/States/A/ToleratedFailurePercentage");
  }

  @Test
  void shouldReportANegativeToleratedFailureCount() {
    assertOnlySchemaError(validateState(MAP + "'ToleratedFailureCount': -1"), "Minimum value is 0",
        "/States/A/ToleratedFailureCount");
  }

  @Test
  void shouldReportToleratedFailureCountWithItsPath() {
    assertOnlySchemaError(validateState(MAP + "'ToleratedFailureCount': 1, 'ToleratedFailureCountPath': '$.c'"),
        "Only one of the fields [ToleratedFailureCount, ToleratedFailureCountPath] can be set", "/States/A");
  }

  @Test
  void shouldReportALabelLongerThan40Characters() {
    assertOnlySchemaError(validateState(MAP + "'Label': '" + "L".repeat(41) + "'"),
        "Label length must be between 1 and 40", "/States/A/Label");
  }

  @Test
  void shouldReportAnItemReaderWithoutResource() {
    assertOnlySchemaError(validateState(MAP + "'ItemReader': {'ReaderConfig': {}}"),
        "These fields are required: [Resource]", "/States/A/ItemReader");
  }

  @Test
  void shouldReportUnknownFieldsOfItemBatcherAndResultWriter() {
    ValidationResult result = validateState(MAP + "'ItemBatcher': {'MaxItems': 1}, 'ResultWriter': {'Bucket': 'b'}");

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Field 'MaxItems' is not supported", "/States/A/ItemBatcher"),
        org.assertj.core.groups.Tuple.tuple("Field 'Bucket' is not supported", "/States/A/ResultWriter"));
  }

  @Test
  void shouldReportAnItemsPathThatSelectsSeveralValues() {
    assertOnlySchemaError(validateState(MAP + "'ItemsPath': '$..items'"), "Value must be a valid JSONPath.",
        "/States/A/ItemsPath");
  }

  @Test
  void shouldReportAnInvalidItemSelectorPath() {
    assertOnlySchemaError(validateState(MAP + "'ItemSelector': {'v.$': 'x'}"),
        "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/A/ItemSelector");
  }

  @Test
  void shouldAcceptJsonataItemsAndReportParametersOnAJsonataItemReader() {
    assertValid(validateJsonataState(MAP + "'Items': '{% $states.input.list %}', 'MaxConcurrency': '{% 2 %}'"));
    assertOnlySchemaError(validateJsonataState(MAP + "'ItemReader': {'Resource': 'arn:aws:states:::s3:getObject',"
        + " 'Parameters': {}}"), "The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported"
        + " for the 'JSONPath' QueryLanguage", "/States/A/ItemReader");
  }

  @Test
  void shouldReportItemsThatAreNeitherAnArrayNorAnExpression() {
    assertOnlySchemaError(validateJsonataState(MAP + "'Items': 5"), "Expected value of type Array", "/States/A/Items");
  }

  @Test
  void shouldValidateStatesOfAMapInsideAParallel() {
    ValidationResult result = validate(machine("'A': {'Type': 'Parallel', 'End': true, 'Branches': [{'StartAt': 'M',"
        + " 'States': {'M': {'Type': 'Map', 'End': true, 'ItemProcessor': {'StartAt': 'P', 'States':"
        + " {'P': {'Type': 'Wait', 'End': true}}}}}}]}"));

    assertOnlySchemaError(result, "Exactly one of the fields [Seconds, Timestamp, SecondsPath, TimestampPath] must be set",
        "/States/A/Branches/0/States/M/ItemProcessor/States/P");
  }
}
