package io.stepstream.asl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadTemplateTest {
  private static final JsonNode CONTEXT = Json.parse("{\"Execution\":{\"Name\":\"e\"},\"Map\":{\"Item\":{\"Value\":7}}}");

  private static EvaluationScope scope(String input) {
    return new EvaluationScope(Json.parse(input), CONTEXT,
        name -> name.equals("greeting") ? Json.parse("{\"text\":\"hi\"}") : null, new SplittableRandom(3), null, null);
  }

  private static JsonNode evaluate(String template, String input) {
    return PayloadTemplate.compile(Json.parse(template)).evaluate(scope(input), "Parameters");
  }

  @Test
  void shouldResolvePathsAndDropTheSuffix() {
    assertThat(evaluate("{\"a.$\":\"$.x\",\"c.$\":\"$$.Map.Item.Value\",\"v.$\":\"$greeting.text\",\"all.$\":\"$\"}",
        "{\"x\":[1,2]}"))
        .isEqualTo(Json.parse("{\"a\":[1,2],\"c\":7,\"v\":\"hi\",\"all\":{\"x\":[1,2]}}"));
  }

  @Test
  void shouldEvaluateIntrinsicCalls() {
    assertThat(evaluate("{\"s.$\":\"States.Format('{}-{}', $.a, $$.Execution.Name)\"}", "{\"a\":1}"))
        .isEqualTo(Json.parse("{\"s\":\"1-e\"}"));
  }

  @Test
  void shouldCopyLiteralValuesAndRecurseIntoObjectsAndArrays() {
    assertThat(evaluate("{\"k\":\"$.notAPath\",\"n\":{\"m.$\":\"$.a\",\"lit\":[1,{\"z.$\":\"$.a\"},\"$.a\"]},\"q\":null}",
        "{\"a\":true}"))
        .isEqualTo(Json.parse("{\"k\":\"$.notAPath\",\"n\":{\"m\":true,\"lit\":[1,{\"z\":true},\"$.a\"]},\"q\":null}"));
  }

  @Test
  void shouldKeepFieldOrder() {
    assertThat(Json.write(evaluate("{\"b\":1,\"a.$\":\"$.x\",\"c\":2}", "{\"x\":0}"))).isEqualTo("{\"b\":1,\"a\":0,\"c\":2}");
  }

  @Test
  void shouldReturnTheSharedNodeForConstantTemplates() {
    PayloadTemplate template = PayloadTemplate.compile(Json.parse("{\"a\":[1,{\"b\":\"x\"}]}"));
    assertThat(template.isConstant()).isTrue();
    assertThat(template.evaluate(scope("{}"), "Parameters")).isSameAs(template.evaluate(scope("{\"y\":1}"), "Parameters"));
    assertThat(PayloadTemplate.compile(Json.parse("{\"a.$\":\"$\"}")).isConstant()).isFalse();
  }

  @Test
  void shouldShareConstantSubtreesAcrossEvaluations() {
    PayloadTemplate template = PayloadTemplate.compile(Json.parse("{\"a.$\":\"$.x\",\"fixed\":{\"deep\":[1,2]}}"));
    JsonNode first = template.evaluate(scope("{\"x\":1}"), "Parameters");
    JsonNode second = template.evaluate(scope("{\"x\":2}"), "Parameters");
    assertThat(first.get("fixed")).isSameAs(second.get("fixed"));
    assertThat(first.get("a")).isNotEqualTo(second.get("a"));
  }

  @Test
  void shouldFailWithAwsMessageWhenAPathSelectsNothing() {
    StatesException e = catchThrowableOfType(StatesException.class,
        () -> evaluate("{\"value.$\":\"$.no_such_jsonpath\"}", "{\"int-literal\":0}"));
    assertThat(e.error()).isEqualTo("States.Runtime");
    assertThat(e.cause()).isEqualTo("The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' "
        + "could not be found in the input '{\"int-literal\":0}'");
    assertThat(e.location()).isEqualTo("Parameters");
  }

  @Test
  void shouldPrintTheContextObjectWhenAContextPathSelectsNothing() {
    StatesException e = catchThrowableOfType(StatesException.class,
        () -> evaluate("{\"value.$\":\"$$.Execution.Input.nope\"}", "{}"));
    assertThat(e.cause()).isEqualTo("The JSONPath '$$.Execution.Input.nope' specified for the field 'value.$' "
        + "could not be found in the input '" + Json.write(CONTEXT) + "'");
  }

  @Test
  void shouldPassIntrinsicFailuresThroughWithTheFieldAsLocation() {
    StatesException e = catchThrowableOfType(StatesException.class,
        () -> evaluate("{\"n.$\":\"States.MathAdd($.a, 'x')\"}", "{\"a\":1}"));
    assertThat(e.error()).isEqualTo("States.Runtime");
    assertThat(e.cause()).isEqualTo("Invalid arguments in States.MathAdd");
    assertThat(e.location()).isEqualTo("Parameters");
  }

  @Test
  void shouldRejectInvalidDynamicFieldsAtCompileTime() {
    String message = "The value for the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function call";
    assertThatThrownBy(() -> PayloadTemplate.compile(Json.parse(
        "{\"parsed.$\":\"States.StringToJson('{\\\\\\\"text\\\\\\\":1}')\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    assertThatThrownBy(() -> PayloadTemplate.compile(Json.parse("{\"parsed.$\":\"no path\"}")))
        .hasMessageStartingWith(message);
    assertThatThrownBy(() -> PayloadTemplate.compile(Json.parse("{\"parsed.$\":1}")))
        .hasMessageStartingWith(message);
    assertThatThrownBy(() -> PayloadTemplate.compile(Json.parse("{\"n\":[{\"parsed.$\":\"States.Nope()\"}]}")))
        .hasMessageStartingWith(message);
  }

  @Test
  void shouldRejectFieldsThatCollideOnceTheSuffixIsRemoved() {
    assertThatThrownBy(() -> PayloadTemplate.compile(Json.parse("{\"a\":1,\"a.$\":\"$\"}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
  }
}
