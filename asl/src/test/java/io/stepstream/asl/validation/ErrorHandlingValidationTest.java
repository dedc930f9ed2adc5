package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.validateJsonataState;
import static io.stepstream.asl.validation.Definitions.validateState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry and Catch. */
class ErrorHandlingValidationTest {

  private static final String TASK = "'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true, ";

  private static ValidationResult retry(String retriers) {
    return validateState(TASK + "'Retry': [" + retriers + "]");
  }

  private static ValidationResult catchers(String catchers) {
    return validateState(TASK + "'Catch': [" + catchers + "]");
  }

  @Test
  void shouldAcceptACompleteRetrier() {
    assertValid(retry("{'ErrorEquals': ['States.Timeout'], 'IntervalSeconds': 1, 'MaxAttempts': 0,"
        + " 'BackoffRate': 1.0, 'MaxDelaySeconds': 1, 'JitterStrategy': 'FULL', 'Comment': 'c'},"
        + " {'ErrorEquals': ['States.ALL']}"));
  }

  @Test
  void shouldReportStatesAllWithOtherErrors() {
    assertOnlySchemaError(retry("{'ErrorEquals': ['States.ALL', 'X']}"),
        "States.ALL must appear alone and at end of list", "/States/A/Retry/0/ErrorEquals");
  }

  @Test
  void shouldReportStatesAllBeforeTheLastRetrier() {
    assertOnlySchemaError(retry("{'ErrorEquals': ['States.ALL']}, {'ErrorEquals': ['X']}"),
        "States.ALL must appear alone and at end of list", "/States/A/Retry/0/ErrorEquals");
  }

  @Test
  void shouldReportStatesAllBeforeTheLastCatcher() {
    assertOnlySchemaError(catchers("{'ErrorEquals': ['States.ALL'], 'Next': 'A'}, {'ErrorEquals': ['X'], 'Next': 'A'}"),
        "States.ALL must appear alone and at end of list", "/States/A/Catch/0/ErrorEquals");
  }

  @Test
  void shouldReportARetrierWithoutErrorEquals() {
    assertOnlySchemaError(retry("{'MaxAttempts': 1}"), "These fields are required: [ErrorEquals]", "/States/A/Retry/0");
  }

  @Test
  void shouldReportAnEmptyErrorEquals() {
    assertOnlySchemaError(retry("{'ErrorEquals': []}"), "Value cannot be empty", "/States/A/Retry/0/ErrorEquals");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "MaxAttempts | -1 | Minimum value is 0",
      "IntervalSeconds | 0 | Minimum value is 1",
      "BackoffRate | 0.5 | Minimum value is 1",
      "MaxDelaySeconds | 0 | Minimum value is 1",
      "MaxDelaySeconds | 31622401 | Maximum value is 31622400",
      "MaxAttempts | 1.5 | Expected value of type Integer",
      "BackoffRate | '2' | Expected value of type Number",
      "JitterStrategy | 'SOME' | Value should be one of the following: [FULL, NONE]",
  })
  void shouldReportBadRetryNumbers(String field, String value, String message) {
    assertOnlySchemaError(retry("{'ErrorEquals': ['X'], '" + field + "': " + value + "}"), message,
        "/States/A/Retry/0/" + field);
  }

  @Test
  void shouldReportAnUnknownRetrierField() {
    assertOnlySchemaError(retry("{'ErrorEquals': ['X'], 'Attempts': 1}"), "Field 'Attempts' is not supported",
        "/States/A/Retry/0");
  }

  @Test
  void shouldReportACatcherWithoutNext() {
    assertOnlySchemaError(catchers("{'ErrorEquals': ['X']}"), "These fields are required: [Next]", "/States/A/Catch/0");
  }

  @Test
  void shouldReportACatcherResultPathThatIsNotAReferencePath() {
    assertOnlySchemaError(catchers("{'ErrorEquals': ['X'], 'Next': 'A', 'ResultPath': '$.a[*]'}"),
        "Value is not a Reference Path: Reference path may only contain fields and array indices",
        "/States/A/Catch/0/ResultPath");
  }

  @Test
  void shouldReportOutputOnACatcherOfAJsonPathState() {
    assertOnlySchemaError(catchers("{'ErrorEquals': ['X'], 'Next': 'A', 'Output': 1}"),
        "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage",
        "/States/A/Catch/0");
  }

  @Test
  void shouldReportResultPathOnACatcherOfAJsonataState() {
    assertOnlySchemaError(validateJsonataState(TASK + "'Catch': [{'ErrorEquals': ['X'], 'Next': 'A', 'ResultPath': '$.e'}]"),
        "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage",
        "/States/A/Catch/0");
  }

  @Test
  void shouldAcceptOutputAndAssignOnACatcherOfAJsonataState() {
    assertValid(validateJsonataState(TASK
        + "'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'A', 'Output': '{% $states.errorOutput %}', 'Assign': {'e': 1}}]"));
  }
}
