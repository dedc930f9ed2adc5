package io.stepstream.asl.jsonata;

import static io.stepstream.asl.jsonata.JsonataExpressionTest.evalJson;
import static io.stepstream.asl.jsonata.JsonataExpressionTest.failure;
import static io.stepstream.asl.jsonata.JsonataExpressionTest.scope;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepFunctionsFunctionsTest {

  @Test
  void shouldPartitionLikeAws() {
    assertThat(evalJson("$partition([0], 1)", "{}")).isEqualTo("[[0]]");
    assertThat(evalJson("$partition([0, 1, 2], 2)", "{}")).isEqualTo("[[0,1],[2]]");
    assertThat(evalJson("$partition([0, 1, 2, 3], 5)", "{}")).isEqualTo("[[0,1,2,3]]");
    assertThat(evalJson("$partition($states.input.fst, $states.input.snd)", "{\"fst\":[0,1,2,3],\"snd\":3}"))
        .isEqualTo("[[0,1,2],[3]]");
  }

  @Test
  void shouldRejectANonPositiveChunkSize() {
    assertThat(failure("$partition([1, 2], 0)")).endsWith("The chunk size of $partition must be a positive integer, but was: 0");
  }

  @Test
  void shouldBuildRangesWithAnInclusiveEndAndCollapseASingleItem() {
    assertThat(evalJson("$range(0, 9, 3)", "{}")).isEqualTo("[0,3,6,9]");
    assertThat(evalJson("$range(0, 10, 3)", "{}")).isEqualTo("[0,3,6,9]");
    assertThat(evalJson("$range(1, 9, 2)", "{}")).isEqualTo("[1,3,5,7,9]");
    assertThat(evalJson("$range(1, 9, 9)", "{}")).isEqualTo("1");
    assertThat(evalJson("$range(10, 0, -5)", "{}")).isEqualTo("[10,5,0]");
  }

  @Test
  void shouldRejectAZeroStepOrAHugeRange() {
    assertThat(failure("$range(0, 1, 0)")).endsWith("The step of $range must not be 0");
    assertThat(failure("$range(0, 1e12, 1)")).contains("must not exceed 1000000");
  }

  @Test
  void shouldHashWithTheAwsAlgorithms() {
    assertThat(evalJson("$hash('input data', 'SHA-1')", "{}"))
        .isEqualTo("\"aaff4a450a104cd177d28d18d74485e8cae074b7\"");
    assertThat(evalJson("$hash('', 'MD5')", "{}")).isEqualTo("\"d41d8cd98f00b204e9800998ecf8427e\"");
    assertThat(failure("$hash('x', 'SHA-3')")).endsWith("The hash algorithm 'SHA-3' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
  }

  @Test
  void shouldParseJsonText() {
    assertThat(evalJson("$parse('-0')", "{}")).isEqualTo("0");
    assertThat(evalJson("$parse('1.1')", "{}")).isEqualTo("1.1");
    assertThat(evalJson("$parse($states.input.s)", "{\"s\":\"{\\\"Arg1\\\": 1, \\\"Arg2\\\": []}\"}"))
        .isEqualTo("{\"Arg1\":1,\"Arg2\":[]}");
    assertThat(evalJson("$parse('\"HelloWorld\"')", "{}")).isEqualTo("\"HelloWorld\"");
    assertThat(failure("$parse('{')")).contains("The argument of $parse is not valid JSON");
  }

  @Test
  void shouldDrawRandomNumbersAndUuidsFromTheScope() {
    JsonataExpression e = JsonataExpression.compile("[$random(), $uuid()]");
    JsonNode first = e.evaluate(scope("{}", Map.of()));
    JsonNode second = e.evaluate(scope("{}", Map.of()));
    assertThat(first).isEqualTo(second);
    assertThat(first.get(0).doubleValue()).isBetween(0.0, 1.0);
    assertThat(first.get(1).textValue()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  @Test
  void shouldGiveTheSameNumberForTheSameSeed() {
    String a = evalJson("$random(7)", "{}");
    assertThat(evalJson("$random(7)", "{}")).isEqualTo(a);
    assertThat(evalJson("$random(8)", "{}")).isNotEqualTo(a);
  }

  @Test
  void shouldLetAVariableShadowAFunction() {
    JsonNode result = JsonataExpression.compile("$hash").evaluate(scope("{}", Map.of("hash", "\"h\"")));
    assertThat(result.textValue()).isEqualTo("h");
  }
}
