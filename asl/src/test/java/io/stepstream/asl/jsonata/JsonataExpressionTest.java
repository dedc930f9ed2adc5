package io.stepstream.asl.jsonata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonataExpressionTest {

  private static final JsonNode CONTEXT = Json.parse(
      "{\"State\":{\"Name\":\"S\",\"EnteredTime\":\"2024-01-01T00:00:01.500Z\"},\"Execution\":{\"Id\":\"e1\"}}");

  static EvaluationScope scope(String input, Map<String, String> variables) {
    Variables vars = name -> variables.containsKey(name) ? Json.parse(variables.get(name)) : null;
    return EvaluationScope.of(Json.parse(input), CONTEXT, vars, new SplittableRandom(42));
  }

  static JsonNode eval(String expression, String input) {
    return JsonataExpression.compile(expression).evaluate(scope(input, Map.of()));
  }

  static String evalJson(String expression, String input) {
    JsonNode node = eval(expression, input);
    return node == null ? null : Json.write(node);
  }

  @Test
  void shouldBindStatesInputAndContext() {
    assertThat(evalJson("$states.input.a & '-' & $states.context.State.Name", "{\"a\":\"x\"}")).isEqualTo("\"x-S\"");
    assertThat(evalJson("$states.input", "{\"a\":[1,null]}")).isEqualTo("{\"a\":[1,null]}");
  }

  @Test
  void shouldBindResultAndErrorOutputOnlyWhenPresent() {
    JsonataExpression e = JsonataExpression.compile("$states");
    EvaluationScope scope = scope("{}", Map.of());
    assertThat(Json.write(e.evaluate(scope))).doesNotContain("result").doesNotContain("errorOutput");
    EvaluationScope withResult = scope.withResult(Json.parse("{\"r\":1}")).withErrorOutput(Json.parse("{\"Error\":\"E\"}"));
    assertThat(Json.write(JsonataExpression.compile("[$states.result.r, $states.errorOutput.Error]").evaluate(withResult)))
        .isEqualTo("[1,\"E\"]");
  }

  @Test
  void shouldResolveWorkflowVariablesLazily() {
    Map<String, String> vars = Map.of("varname", "{\"varfield\":\"v\"}", "n", "3");
    JsonNode result = JsonataExpression.compile("$varname.varfield & $string($n + 1)").evaluate(scope("{}", vars));
    assertThat(result.textValue()).isEqualTo("v4");
  }

  @Test
  void shouldNotTakeDollarSignsInStringsOrRegexesForVariables() {
    assertThat(eval("$contains(\"hello$world\", /^hello\\$/)", "{}").booleanValue()).isTrue();
    assertThat(eval("$contains('hello$world', /^hello\\ /)", "{}").booleanValue()).isFalse();
    assertThat(VariableReferences.of("'$a' & \"$b\" & $c / 2 & $match(x, /$d/)")).containsExactly("c", "match");
  }

  @Test
  void shouldBindNullVariableAsNullNotUndefined() {
    JsonNode result = JsonataExpression.compile("$v").evaluate(scope("{}", Map.of("v", "null")));
    assertThat(result.isNull()).isTrue();
  }

  @Test
  void shouldReturnNullWhenUndefined() {
    assertThat(eval("$doesNotExist", "{}")).isNull();
    assertThat(eval("$states.input.missing", "{}")).isNull();
  }

  @Test
  void shouldKeepIntegersIntegral() {
    assertThat(evalJson("1 + 2", "{}")).isEqualTo("3");
    assertThat(evalJson("6 / 2", "{}")).isEqualTo("3");
    assertThat(evalJson("$number('2')", "{}")).isEqualTo("2");
    assertThat(evalJson("$sum([1.5, 1.5])", "{}")).isEqualTo("3");
    assertThat(evalJson("$states.input.n", "{\"n\":1.0}")).isEqualTo("1");
  }

  @Test
  void shouldKeepDecimalsAndBigIntegers() {
    assertThat(evalJson("1.1", "{}")).isEqualTo("1.1");
    assertThat(evalJson("$states.input.n", "{\"n\":0.25}")).isEqualTo("0.25");
    assertThat(evalJson("$states.input.n", "{\"n\":123456789012345678901234567890}"))
        .isEqualTo("123456789012345678901234567890");
    assertThat(evalJson("$states.input.n", "{\"n\":9007199254740993}")).isEqualTo("9007199254740993");
    assertThat(evalJson("1e20", "{}")).isEqualTo("100000000000000000000");
  }

  @Test
  void shouldEvaluateAwsExamplesFromTheCorpus() {
    assertThat(evalJson("$merge([$states.input.part1, $states.input.part2])",
        "{\"part1\":{\"hello\":\"world\"},\"part2\":{\"foo\":\"bar\"}}")).isEqualTo("{\"hello\":\"world\",\"foo\":\"bar\"}");
    assertThat(evalJson("$states.input.value >= 20 and $states.input.value < 30", "{\"value\":25}")).isEqualTo("true");
    assertThat(evalJson("$states.input.value = 0", "{\"value\":0}")).isEqualTo("true");
    assertThat(evalJson("$not($states.input.type = 'Private')", "{\"type\":\"Public\"}")).isEqualTo("true");
    assertThat(evalJson("$variable := 1", "{}")).isEqualTo("1");
    assertThat(evalJson("{'foo': 'bar'}", "{}")).isEqualTo("{\"foo\":\"bar\"}");
    assertThat(evalJson("null", "{}")).isEqualTo("null");
  }

  @Test
  void shouldUseTheStateEnteredTimeForNowAndMillis() {
    assertThat(evalJson("$millis()", "{}")).isEqualTo("1704067201500");
    assertThat(evalJson("$now()", "{}")).isEqualTo("\"2024-01-01T00:00:01.500Z\"");
  }

  @Test
  void shouldRejectInvalidSyntax() {
    assertThatThrownBy(() -> JsonataExpression.compile("$states.input.("))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The JSONata expression '$states.input.(' is invalid: S0");
  }

  @Test
  void shouldReportCallingAnUnknownFunctionAsAwsDoes() {
    JsonataExpression e = JsonataExpression.compile("$randomSeeded($states.input.FunctionInput.fst)");
    assertThatThrownBy(() -> e.evaluate(scope("{\"FunctionInput\":\"fst\"}", Map.of()), "Output/FunctionResult"))
        .isInstanceOfSatisfying(StatesException.class, ex -> {
          assertThat(ex.error()).isEqualTo("States.QueryEvaluationError");
          assertThat(ex.location()).isEqualTo("Output/FunctionResult");
          assertThat(ex.cause()).isEqualTo("The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' "
              + "specified for the field 'Output/FunctionResult' threw an error during evaluation. "
              + "T1006: Attempted to invoke a non-function");
        });
  }

  @Test
  void shouldReportErrorFunctionAndTypeErrorsWithCodes() {
    assertThat(failure("$error('boom')")).endsWith("threw an error during evaluation. D3137: boom");
    assertThat(failure("'a' + 1")).endsWith("T2001: The left side of the \"+\" operator must evaluate to a number");
    assertThat(failure("1 / 0")).endsWith("D1001: Number out of range: null");
    assertThat(failure("$partition([1], 'x')")).contains("T0410: Argument ")
        .endsWith(" of function \"partition\" does not match function signature");
  }

  @Test
  void shouldReportAFunctionResultAsUnsupported() {
    assertThat(failure("$sum")).isEqualTo(
        "The JSONata expression '$sum' specified for the field 'Output' returned an unsupported result type.");
  }

  @Test
  void shouldLeaveOutTheFieldWhenNoneIsGiven() {
    assertThatThrownBy(() -> eval("$error('x')", "{}")).isInstanceOfSatisfying(StatesException.class,
        ex -> assertThat(ex.cause()).isEqualTo("The JSONata expression '$error('x')' threw an error during evaluation. D3137: x"));
  }

  static String failure(String expression) {
    try {
      JsonataExpression.compile(expression).evaluate(scope("{}", Map.of()), "Output");
    } catch (StatesException e) {
      assertThat(e.error()).isEqualTo("States.QueryEvaluationError");
      return e.cause();
    }
    throw new AssertionError("no failure for " + expression);
  }
}
