package io.stepstream.asl.jsonata;

import static io.stepstream.asl.jsonata.JsonataExpressionTest.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class JsonataTemplateTest {

  @Test
  void shouldRecogniseExpressionsOnlyWhenDelimited() {
    assertThat(JsonataTemplate.isExpression("{% 1 %}")).isTrue();
    assertThat(JsonataTemplate.isExpression("  {%$x%} ")).isTrue();
    assertThat(JsonataTemplate.isExpression("{% 1")).isFalse();
    assertThat(JsonataTemplate.isExpression("x {% 1 %}")).isFalse();
    assertThat(JsonataTemplate.isExpression("$states.input")).isFalse();
    assertThat(JsonataTemplate.isExpression(null)).isFalse();
  }

  @Test
  void shouldEvaluateNestedTemplatesAndKeepConstants() {
    JsonataTemplate t = template("{\"foo\":\"foobar\",\"bar\":\"{% $states.input %}\",\"list\":[1,\"{% 1 + 1 %}\",{\"c\":\"$notEvaluated\"}]}");
    JsonNode value = t.evaluate(scope("{\"input_data\":\"test\"}", Map.of()), "Output");
    assertThat(Json.write(value)).isEqualTo(
        "{\"foo\":\"foobar\",\"bar\":{\"input_data\":\"test\"},\"list\":[1,2,{\"c\":\"$notEvaluated\"}]}");
    assertThat(t.isConstant()).isFalse();
    assertThat(template("{\"a\":[1,\"x\"]}").isConstant()).isTrue();
  }

  @Test
  void shouldFailOnUndefinedWithTheFieldPath() {
    assertQueryError(() -> template("\"{% $doesNotExist %}\"").evaluate(scope("{}", Map.of()), "Output"),
        "The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).", "Output");
    assertQueryError(() -> template("{\"result\":\"{% $doesNotExist %}\"}").evaluate(scope("{}", Map.of()), "Assign"),
        "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).",
        "Assign/result");
    assertQueryError(() -> template("{\"a\":{\"b\":\"{% $x %}\"}}").evaluate(scope("{}", Map.of()), "Output"),
        "The JSONata expression '$x' specified for the field 'Output/a/b' returned nothing (undefined).", "Output/a/b");
  }

  @Test
  void shouldEvaluateEveryAssignmentAgainstTheSameVariables() {
    JsonataTemplate assign = template("{\"x\":\"{% $y %}\",\"y\":\"{% $x %}\"}");
    JsonNode values = assign.evaluate(scope("{}", Map.of("x", "1", "y", "2")), "Assign");
    assertThat(Json.write(values)).isEqualTo("{\"x\":2,\"y\":1}");
  }

  @Test
  void shouldCheckTheResultTypeAsAwsDoes() {
    assertQueryError(() -> template("\"{% true %}\"").evaluate(scope("{}", Map.of()), "Items", "array"),
        "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. "
            + "Expected 'array', but was 'boolean' for value: true", "Items");
    assertQueryError(() -> template("\"{% {'foo': 'bar'} %}\"").evaluate(scope("{}", Map.of()), "Items", "array"),
        "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. "
            + "Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}", "Items");
    assertQueryError(() -> template("\"{% $ItemsVar %}\"").evaluate(scope("{}", Map.of("ItemsVar", "\"string\"")), "Items", "array"),
        "The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. "
            + "Expected 'array', but was 'string' for value: \"string\"", "Items");
    assertThat(template("[1, \"{% $number('2') %}\", 3]").evaluate(scope("{}", Map.of()), "Items", "array").toString())
        .isEqualTo("[1,2,3]");
  }

  @Test
  void shouldEvaluateConditions() {
    JsonataTemplate condition = template("\"{% $states.input.value >= 20 and $states.input.value < 30 %}\"");
    assertThat(condition.evaluateCondition(scope("{\"value\":25}", Map.of()), "Condition")).isTrue();
    assertThat(condition.evaluateCondition(scope("{\"value\":30}", Map.of()), "Condition")).isFalse();
    assertQueryError(() -> template("\"{% $states.input.value %}\"").evaluateCondition(scope("{\"value\":1}", Map.of()), "Condition"),
        "The JSONata expression '$states.input.value' specified for the field 'Condition' returned an unexpected "
            + "result type. Expected 'boolean', but was 'number' for value: 1", "Condition");
  }

  @Test
  void shouldRejectAnInvalidExpressionAtCompileTime() {
    assertThatThrownBy(() -> template("{\"a\":\"{% 1 + %}\"}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'1 +'");
  }

  private static JsonataTemplate template(String json) {
    return JsonataTemplate.compile(Json.parse(json));
  }

  private static void assertQueryError(ThrowingCallable call, String cause, String location) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatesException.class, e -> {
      assertThat(e.error()).isEqualTo("States.QueryEvaluationError");
      assertThat(e.cause()).isEqualTo(cause);
      assertThat(e.location()).isEqualTo(location);
    });
  }
}
