package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.rule;
import static io.stepstream.asl.choice.RuleFixtures.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChoiceRuleTest {

  private static final String AWS_DOCS_RULES = """
      [
        {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
        {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
        {"And": [
          {"Variable": "$.value", "NumericGreaterThanEquals": 20},
          {"Variable": "$.value", "NumericLessThan": 30}
        ], "Next": "ValueInTwenties"}
      ]""";

  @Test
  void shouldCombineRulesWithAndOrNot() {
    var rules = Json.parse(AWS_DOCS_RULES);
    ChoiceRule notPrivate = ChoiceRule.compile(rules.get(0));
    ChoiceRule inTwenties = ChoiceRule.compile(rules.get(2));
    assertThat(notPrivate.matches(scope("{\"type\": \"Public\"}"))).isTrue();
    assertThat(notPrivate.matches(scope("{\"type\": \"Private\"}"))).isFalse();
    assertThat(inTwenties.matches(scope("{\"value\": 25}"))).isTrue();
    assertThat(inTwenties.matches(scope("{\"value\": 30}"))).isFalse();
    assertThat(inTwenties.matches(scope("{\"value\": 19.99}"))).isFalse();

    ChoiceRule either = rule("""
        {"Or": [{"Variable": "$.a", "NumericEquals": 1}, {"Not": {"Variable": "$.b", "BooleanEquals": true}}]}""");
    assertThat(either.matches(scope("{\"a\": 2, \"b\": true}"))).isFalse();
    assertThat(either.matches(scope("{\"a\": 1, \"b\": true}"))).isTrue();
    assertThat(either.matches(scope("{\"a\": 2, \"b\": false}"))).isTrue();
  }

  @Test
  void shouldStopAndOrAtTheFirstDecidingRule() {
    ChoiceRule guarded = rule("""
        {"And": [{"Variable": "$.maybe", "IsPresent": true}, {"Variable": "$.maybe", "StringEquals": "foo"}]}""");
    assertThat(guarded.matches(scope("{}"))).isFalse();
    assertThat(guarded.matches(scope("{\"maybe\": \"foo\"}"))).isTrue();

    ChoiceRule fallback = rule("""
        {"Or": [{"Variable": "$.maybe", "IsPresent": false}, {"Variable": "$.maybe", "StringEquals": "foo"}]}""");
    assertThat(fallback.matches(scope("{}"))).isTrue();
  }

  @Test
  void shouldFailWithAwsMessageWhenTheVariableIsMissing() {
    ChoiceRule missing = rule("{\"Variable\": \"$.missing\", \"StringEquals\": \"x\"}");
    assertThatThrownBy(() -> missing.matches(scope("{\"other\": 1}")))
        .isInstanceOfSatisfying(StatesException.class, e -> {
          assertThat(e.error()).isEqualTo(StatesErrors.RUNTIME);
          assertThat(e.cause()).isEqualTo("Invalid path '$.missing' : No results for path: $['missing']");
        });
  }

  @Test
  void shouldFailForAMissingVariableUnderEveryOperatorButIsPresent() {
    EvaluationScope empty = scope("{}");
    for (String rule : new String[] {
        "{\"Variable\": \"$.x\", \"IsNull\": false}",
        "{\"Variable\": \"$.x\", \"IsString\": false}",
        "{\"Variable\": \"$.x\", \"NumericEquals\": 1}",
        "{\"Variable\": \"$.x\", \"TimestampEquals\": \"2016-03-14T01:59:00Z\"}",
        "{\"Not\": {\"Variable\": \"$.x\", \"BooleanEquals\": true}}"}) {
      assertThatThrownBy(() -> rule(rule).matches(empty)).as(rule).isInstanceOf(StatesException.class);
    }
  }

  @Test
  void shouldNameTheMissingPartOfANestedVariable() {
    ChoiceRule nested = rule("{\"Variable\": \"$.a.b.c\", \"NumericEquals\": 1}");
    assertThatThrownBy(() -> nested.matches(scope("{\"a\": {}}")))
        .isInstanceOfSatisfying(StatesException.class, e -> assertThat(e.cause())
            .isEqualTo("Invalid path '$.a.b.c' : Missing property in path $['a']['b']"));
  }

  @Test
  void shouldFailWithAwsMessageWhenTheOperandPathIsMissing() {
    ChoiceRule missing = rule("{\"Variable\": \"$.v\", \"NumericEqualsPath\": \"$.limit\"}");
    assertThatThrownBy(() -> missing.matches(scope("{\"v\": 1}")))
        .isInstanceOfSatisfying(StatesException.class, e -> {
          assertThat(e.error()).isEqualTo(StatesErrors.RUNTIME);
          assertThat(e.cause()).isEqualTo("Invalid path '$.limit' : No results for path: $['limit']");
        });
  }

  @Test
  void shouldReadTheContextObjectAndVariables() {
    var context = Json.parse("{\"Execution\": {\"Input\": {\"input-value\": -1}}}");
    var variables = Map.of("answer", Json.parse("\"42\""), "limits", Json.parse("{\"max\": 10}"));
    EvaluationScope scope = scope(Json.parse("{\"guess\": \"42\", \"n\": 3}"), context, variables);

    assertThat(rule("{\"Variable\": \"$$.Execution.Input.input-value\", \"NumericLessThanEquals\": 0}")
        .matches(scope)).isTrue();
    assertThat(rule("{\"Variable\": \"$.guess\", \"StringEqualsPath\": \"$answer\"}").matches(scope)).isTrue();
    assertThat(rule("{\"Variable\": \"$.n\", \"NumericLessThanPath\": \"$limits.max\"}").matches(scope)).isTrue();
    assertThat(rule("{\"Variable\": \"$limits.max\", \"IsNumeric\": true}").matches(scope)).isTrue();
    assertThat(rule("{\"Variable\": \"$undeclared\", \"IsPresent\": true}").matches(scope)).isFalse();
    assertThatThrownBy(() -> rule("{\"Variable\": \"$limits.min\", \"NumericEquals\": 0}").matches(scope))
        .isInstanceOfSatisfying(StatesException.class, e -> assertThat(e.cause())
            .isEqualTo("Invalid path '$limits.min' : No results for path: $['min']"));
  }

  @Test
  void shouldIgnoreTheTransitionFieldsOfAChoice() {
    ChoiceRule withExtras = rule("""
        {"Variable": "$.v", "NumericEquals": 1, "Next": "A", "Assign": {"x": 1}, "Output": {}, "Comment": "c"}""");
    assertThat(withExtras.matches(scope("{\"v\": 1}"))).isTrue();
  }
}
