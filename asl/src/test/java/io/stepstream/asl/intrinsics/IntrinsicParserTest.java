package io.stepstream.asl.intrinsics;

import static io.stepstream.asl.intrinsics.Intrinsics.eval;
import static io.stepstream.asl.intrinsics.Intrinsics.json;
import static io.stepstream.asl.intrinsics.Intrinsics.parsing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntrinsicParserTest {

  @Test
  void shouldRecogniseIntrinsicsAfterTrimming() {
    assertThat(IntrinsicFunctions.looksLikeIntrinsic("  States.UUID()")).isTrue();
    assertThat(IntrinsicFunctions.looksLikeIntrinsic("$.States.x")).isFalse();
    assertThat(IntrinsicFunctions.looksLikeIntrinsic(null)).isFalse();
  }

  @Test
  void shouldParseEveryLiteralKind() {
    assertThat(eval("States.Array('a', 1, -2, 1.5, -0.25, true, false, null)"))
        .isEqualTo(json("[\"a\", 1, -2, 1.5, -0.25, true, false, null]"));
  }

  @Test
  void shouldKeepIntegersIntegral() {
    assertThat(eval("States.Array(3)").get(0).isIntegralNumber()).isTrue();
    assertThat(Json.write(eval("States.Array(3, 3000000000)"))).isEqualTo("[3,3000000000]");
  }

  @Test
  void shouldUnescapeStringLiterals() {
    assertThat(eval("States.Array('it\\'s', '\\{x\\}', 'a\\\\b')"))
        .isEqualTo(json("[\"it's\", \"{x}\", \"a\\\\b\"]"));
  }

  @Test
  void shouldKeepRawControlCharactersInLiterals() {
    assertThat(eval("States.StringSplit('Hello\nWorld', '\n')")).isEqualTo(json("[\"Hello\", \"World\"]"));
  }

  @Test
  void shouldRejectOtherEscapes() {
    assertThatThrownBy(parsing("States.StringToJson('{\\\"a\\\":1}')"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("escape");
    assertThatThrownBy(parsing("States.Base64Decode('YWJj\\nZA==')"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReadInputContextAndVariablePaths() {
    EvaluationScope scope = new EvaluationScope(json("{\"a\":{\"b\":[1,2]}}"),
        json("{\"Execution\":{\"Name\":\"n\"}}"), name -> name.equals("v") ? json("{\"w\":\"x\"}") : null,
        new SplittableRandom(1), null, null);
    assertThat(IntrinsicFunctions.parse("States.Array($, $.a.b[1], $$.Execution.Name, $v.w, $v)").evaluate(scope))
        .isEqualTo(json("[{\"a\":{\"b\":[1,2]}}, 2, \"n\", \"x\", {\"w\":\"x\"}]"));
  }

  @Test
  void shouldParsePathsWithBracketsAndFilters() {
    assertThat(eval("States.Array($['a,b'], $.l[?(@.x > 1)].x)", "{\"a,b\":1,\"l\":[{\"x\":1},{\"x\":2}]}"))
        .isEqualTo(json("[1, [2]]"));
  }

  @Test
  void shouldEvaluateNestedCalls() {
    assertThat(eval("States.ArrayGetItem(States.StringSplit($.n, '-'), States.MathAdd(States.ArrayLength("
        + "States.StringSplit($.n, '-')), -1))", "{\"n\":\"a-b-c\"}")).isEqualTo(json("\"c\""));
  }

  @Test
  void shouldAllowSpacesAroundArguments() {
    assertThat(eval("  States.Array(  1 ,2  ,  'x' )  ")).isEqualTo(json("[1,2,\"x\"]"));
    assertThat(eval("States.Array()")).isEqualTo(json("[]"));
  }

  @Test
  void shouldRejectUnknownFunctions() {
    assertThatThrownBy(parsing("States.Nope(1)")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown intrinsic function 'States.Nope'");
  }

  @Test
  void shouldRejectBadSyntax() {
    for (String text : new String[] {"States.Array(1", "States.Array(1,)", "States.Array(1) x", "States.Array('a)",
        "States.Array(tru)", "States.Array(1.)", "Format(1)", "States.Array(1 2)", "States.Array($.a[)"}) {
      assertThatThrownBy(parsing(text)).as(text).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldReportNameAndArgumentCount() {
    IntrinsicCall call = IntrinsicFunctions.parse("States.Hash($.a, 'MD5')");
    assertThat(call.functionName()).isEqualTo("States.Hash");
    assertThat(call.argumentCount()).isEqualTo(2);
  }

  @Test
  void shouldFailWhenAPathArgumentSelectsNothing() {
    Intrinsics.assertFails("States.Hash($.missing, 'SHA-256')", "{}",
        "The JsonPath argument for the field '$.missing' could not be found in the input '{}'");
    Intrinsics.assertFails("States.Format('{}', $$.Execution.Nope)", "{\"a\":1}",
        "The JsonPath argument for the field '$$.Execution.Nope' could not be found in the input "
            + "'{\"Execution\":{\"Name\":\"exec-1\"}}'");
  }
}
