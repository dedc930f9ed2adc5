package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.jsonataMachine;
import static io.stepstream.asl.validation.Definitions.machine;
import static io.stepstream.asl.validation.Definitions.validate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The structure of Choice rules in JSONPath and JSONata states. */
class ChoiceRuleValidationTest {

  private static ValidationResult choice(String rules) {
    return validate(machine("'A': {'Type': 'Choice', 'Default': 'B', 'Choices': [" + rules + "]},"
        + " 'B': {'Type': 'Succeed'}"));
  }

  private static ValidationResult jsonataChoice(String rules) {
    return validate(jsonataMachine("'A': {'Type': 'Choice', 'Default': 'B', 'Choices': [" + rules + "]},"
        + " 'B': {'Type': 'Succeed'}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"'StringEquals': 'a'", "'StringLessThanEqualsPath': '$.b'", "'StringMatches': 'a*'",
      "'NumericGreaterThan': 1.5", "'NumericEqualsPath': '$$.Execution.Input.n'", "'BooleanEquals': false",
      "'BooleanEqualsPath': '$b'", "'TimestampLessThan': '2016-03-14T01:59:00Z'", "'TimestampEqualsPath': '$.t'",
      "'IsNull': true", "'IsPresent': false", "'IsNumeric': true", "'IsString': true", "'IsBoolean': true",
      "'IsTimestamp': true"})
  void shouldAcceptEveryComparisonOperator(String comparison) {
    assertValid(choice("{'Variable': '$.x', " + comparison + ", 'Next': 'B'}"));
  }

  @Test
  void shouldAcceptNestedBooleanOperators() {
    assertValid(choice("{'And': [{'Variable': '$.x', 'IsPresent': true}, {'Not': {'Or': ["
        + "{'Variable': '$.x', 'NumericLessThan': 0}, {'Variable': '$.y', 'StringEquals': 'z'}]}}],"
        + " 'Next': 'B', 'Comment': 'c', 'Assign': {'v': 1}}"));
  }

  @Test
  void shouldReportARuleWithoutAComparison() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'Next': 'B'}"),
        "A Choice rule must have one comparison operator or one of [And, Or, Not]", "/States/A/Choices/0");
  }

  @Test
  void shouldReportARuleWithSeveralComparisons() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'StringEquals': 'a', 'IsNull': true, 'Next': 'B'}"),
        "A Choice rule must have exactly one comparison operator or one of [And, Or, Not], found: "
            + "[StringEquals, IsNull]", "/States/A/Choices/0");
  }

  @Test
  void shouldReportAComparisonWithoutVariable() {
    assertOnlySchemaError(choice("{'StringEquals': 'a', 'Next': 'B'}"), "These fields are required: [Variable]",
        "/States/A/Choices/0");
  }

  @Test
  void shouldReportAVariableOnABooleanOperator() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'Not': {'Variable': '$.x', 'IsNull': true}, 'Next': 'B'}"),
        "Field 'Variable' is not supported", "/States/A/Choices/0");
  }

  @Test
  void shouldReportATopLevelRuleWithoutNext() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'IsNull': true}"), "These fields are required: [Next]",
        "/States/A/Choices/0");
  }

  @Test
  void shouldReportNextInsideANestedRule() {
    assertOnlySchemaError(choice("{'Not': {'Variable': '$.x', 'IsNull': true, 'Next': 'B'}, 'Next': 'B'}"),
        "Field 'Next' is not supported", "/States/A/Choices/0/Not");
  }

  @Test
  void shouldReportAnEmptyAnd() {
    assertOnlySchemaError(choice("{'And': [], 'Next': 'B'}"), "Value cannot be empty", "/States/A/Choices/0/And");
  }

  @Test
  void shouldReportAComparisonValueOfTheWrongType() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'NumericEquals': '1', 'Next': 'B'}"),
        "Expected value of type Number", "/States/A/Choices/0/NumericEquals");
  }

  @Test
  void shouldReportAnInvalidVariablePath() {
    assertOnlySchemaError(choice("{'Variable': 'x', 'IsNull': true, 'Next': 'B'}"),
        "Value must be a valid JSONPath.", "/States/A/Choices/0/Variable");
  }

  @Test
  void shouldReportAnInvalidComparisonPath() {
    assertOnlySchemaError(choice("{'Variable': '$.x', 'StringEqualsPath': 'y', 'Next': 'B'}"),
        "Value must be a valid JSONPath.", "/States/A/Choices/0/StringEqualsPath");
  }

  @Test
  void shouldReportAChoiceStateWithoutChoices() {
    ValidationResult result = validate(machine("'A': {'Type': 'Choice', 'Default': 'B'}, 'B': {'Type': 'Succeed'}"));

    assertOnlySchemaError(result, "These fields are required: [Choices]", "/States/A");
  }

  @Test
  void shouldReportEmptyChoices() {
    assertOnlySchemaError(choice(""), "Value cannot be empty", "/States/A/Choices");
  }

  @Test
  void shouldAcceptAJsonataCondition() {
    assertValid(jsonataChoice("{'Condition': '{% $states.input.x > 1 %}', 'Next': 'B', 'Output': '{% 1 %}'}"));
  }

  @Test
  void shouldReportAJsonataRuleWithoutCondition() {
    assertOnlySchemaError(jsonataChoice("{'Next': 'B'}"), "These fields are required: [Condition]",
        "/States/A/Choices/0");
  }

  @Test
  void shouldReportVariableInAJsonataRule() {
    assertOnlySchemaError(jsonataChoice("{'Condition': true, 'Variable': '$.x', 'Next': 'B'}"),
        "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
        "/States/A/Choices/0");
  }

  @Test
  void shouldReportConditionInAJsonPathRule() {
    assertOnlySchemaError(choice("{'Condition': true, 'Variable': '$.x', 'IsNull': true, 'Next': 'B'}"),
        "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage",
        "/States/A/Choices/0");
  }

  @Test
  void shouldReportAnInvalidJsonataCondition() {
    ValidationResult result = jsonataChoice("{'Condition': '{% $states.input.x > %}', 'Next': 'B'}");

    assertThat(result.diagnostics()).singleElement()
        .satisfies(d -> assertThat(d.location()).isEqualTo("/States/A/Choices/0/Condition"))
        .satisfies(d -> assertThat(d.message()).startsWith("JSONata expression is invalid"));
  }
}
