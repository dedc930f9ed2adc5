package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.rule;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChoiceRuleCompileTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"Variable": "$.a", "Next": "X"}                                    | no comparison operator
      {"Next": "X"}                                                       | no comparison operator
      {"Variable": "$.a", "StringEquals": "x", "NumericEquals": 1}        | more than one operator: StringEquals, NumericEquals
      {"And": [{"Variable": "$.a", "IsNull": true}], "Not": {"Variable": "$.a", "IsNull": true}} | more than one operator: And, Not
      {"Variable": "$.a", "StringEquals": 1}                              | StringEquals needs a string operand
      {"Variable": "$.a", "StringMatches": true}                          | StringMatches needs a string operand
      {"Variable": "$.a", "NumericEquals": "1"}                           | NumericEquals needs a number operand
      {"Variable": "$.a", "NumericLessThan": null}                        | NumericLessThan needs a number operand
      {"Variable": "$.a", "BooleanEquals": "true"}                        | BooleanEquals needs a boolean operand
      {"Variable": "$.a", "IsPresent": 1}                                 | IsPresent needs a boolean operand
      {"Variable": "$.a", "TimestampEquals": "2016-03-14T01:59:00"}       | TimestampEquals needs an RFC 3339 timestamp
      {"Variable": "$.a", "TimestampLessThan": 0}                         | TimestampLessThan needs a string operand
      {"StringEquals": "x"}                                               | StringEquals needs a 'Variable'
      {"Variable": "a", "StringEquals": "x"}                              | Variable is not a valid reference path
      {"Variable": 1, "StringEquals": "x"}                                | Variable must be a reference path string
      {"Variable": "$.a[*]", "StringEquals": "x"}                         | Variable must be a reference path selecting one value
      {"Variable": "$.a", "StringEqualsPath": "x"}                        | StringEqualsPath is not a valid reference path
      {"Variable": "$.a", "NumericEqualsPath": "$..b"}                    | NumericEqualsPath must be a reference path selecting one value
      {"Variable": "$.a", "StringEquals": "x", "Condition": "{% true %}"} | unknown field 'Condition'
      {"And": []}                                                         | And must be a non-empty array of choice rules
      {"Or": {"Variable": "$.a", "IsNull": true}}                         | Or must be a non-empty array of choice rules
      {"Variable": "$.a", "Not": {"Variable": "$.a", "IsNull": true}}     | 'Variable' is not allowed with Not
      {"Not": "x"}                                                        | at /Not: a choice rule must be a JSON object
      {"And": [{"Variable": "$.a", "IsNull": true}, {"Or": [{"Variable": "$.b"}]}]} | at /And/1/Or/0: no comparison operator
      """)
  void shouldRejectAnInvalidRule(String json, String message) {
    assertThatThrownBy(() -> rule(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void shouldRejectARuleThatIsNotAnObject() {
    assertThatThrownBy(() -> ChoiceRule.compile(Json.parse("[]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a choice rule must be a JSON object");
    assertThatThrownBy(() -> ChoiceRule.compile(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldAcceptEveryOperatorWithAWellTypedOperand() {
    for (ComparisonOperator operator : ComparisonOperator.values()) {
      String operand = operator.hasPathOperand() ? "\"$.b\"" : switch (operator.kind()) {
        case STRING -> "\"x\"";
        case NUMERIC -> "1.5";
        case BOOLEAN, TYPE_TEST -> "true";
        case TIMESTAMP -> "\"2016-03-14T01:59:00Z\"";
      };
      String json = "{\"Variable\": \"$.a\", \"" + operator.fieldName() + "\": " + operand + ", \"Next\": \"X\"}";
      assertThatCode(() -> rule(json)).as(json).doesNotThrowAnyException();
    }
  }

  @Test
  void shouldAcceptContextAndVariablePaths() {
    assertThatCode(() -> rule("{\"Variable\": \"$$.Execution.Input.a\", \"StringEqualsPath\": \"$$.State.Name\"}"))
        .doesNotThrowAnyException();
    assertThatCode(() -> rule("{\"Variable\": \"$guess\", \"StringEqualsPath\": \"$answer.value[0]\"}"))
        .doesNotThrowAnyException();
    assertThatCode(() -> rule("{\"Variable\": \"$\", \"IsNumeric\": true}")).doesNotThrowAnyException();
  }
}
