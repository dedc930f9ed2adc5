package io.stepstream.asl.intrinsics;

import static io.stepstream.asl.intrinsics.Intrinsics.assertInvalid;
import static io.stepstream.asl.intrinsics.Intrinsics.eval;
import static io.stepstream.asl.intrinsics.Intrinsics.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MathFunctionsTest {

  @Test
  void shouldAddIntegers() {
    assertThat(eval("States.MathAdd($.v, -1)", "{\"v\":111}")).isEqualTo(json("110"));
    assertThat(eval("States.MathAdd(2147483646, 1)")).isEqualTo(json("2147483647"));
    assertThat(eval("States.MathAdd(-2147483647, -1)")).isEqualTo(json("-2147483648"));
  }

  @Test
  void shouldRoundDecimalOperandsBeforeAdding() {
    assertThat(eval("States.MathAdd($.a, $.b)", "{\"a\":1.6,\"b\":2.7}")).isEqualTo(json("5"));
    assertThat(eval("States.MathAdd(0.1, 0.2)")).isEqualTo(json("0"));
  }

  @Test
  void shouldRejectNonNumbersAndInt32Overflow() {
    assertInvalid("States.MathAdd(2147483647, 1)", "States.MathAdd");
    assertInvalid("States.MathAdd(-2147483648, -1)", "States.MathAdd");
    assertInvalid("States.MathAdd(3000000000, 1)", "States.MathAdd");
    assertInvalid("States.MathAdd('1', 2)", "States.MathAdd");
    assertInvalid("States.MathAdd(true, 1)", "States.MathAdd");
    assertInvalid("States.MathAdd(null, 1)", "States.MathAdd");
    assertInvalid("States.MathAdd(1)", "States.MathAdd");
  }

  @Test
  void shouldDrawRandomIntegersWithinTruncatedBounds() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      JsonNode value = eval("States.MathRandom(1.6, 5.4)");
      assertThat(value.isIntegralNumber()).isTrue();
      seen.add(value.longValue());
    }
    assertThat(seen).isSubsetOf(1L, 2L, 3L, 4L);
    assertThat(eval("States.MathRandom(-99999, -9999)").longValue()).isBetween(-99999L, -10000L);
  }

  @Test
  void shouldDrawFromTheScopeGenerator() {
    EvaluationScope first = EvaluationScope.of(json("{}"), json("{}"), Variables.NONE, new SplittableRandom(42));
    EvaluationScope second = EvaluationScope.of(json("{}"), json("{}"), Variables.NONE, new SplittableRandom(42));
    IntrinsicCall call = IntrinsicFunctions.parse("States.MathRandom(0, 1000000)");
    assertThat(call.evaluate(first)).isEqualTo(call.evaluate(second));
  }

  @Test
  void shouldBeDeterministicForASeed() {
    JsonNode once = eval("States.Array(States.MathRandom(1, 1000000, 42), States.MathRandom(1, 1000000, 42))");
    assertThat(once.get(0)).isEqualTo(once.get(1));
    EvaluationScope other = EvaluationScope.of(json("{}"), json("{}"), Variables.NONE, new SplittableRandom(99));
    assertThat(IntrinsicFunctions.parse("States.MathRandom(1, 1000000, 42)").evaluate(other)).isEqualTo(once.get(0));
  }

  @Test
  void shouldRejectBadRandomArguments() {
    assertInvalid("States.MathRandom(1, 1)", "States.MathRandom");
    assertInvalid("States.MathRandom(10, 5)", "States.MathRandom");
    assertInvalid("States.MathRandom(1.4, 1.6)", "States.MathRandom");
    assertInvalid("States.MathRandom('a', 10)", "States.MathRandom");
    assertInvalid("States.MathRandom(1, 10, 'seed')", "States.MathRandom");
    assertInvalid("States.MathRandom(1, 10, null)", "States.MathRandom");
    assertInvalid("States.MathRandom(1)", "States.MathRandom");
  }

  @Test
  void shouldMakeVersion4Uuids() {
    String uuid = eval("States.UUID()").textValue();
    assertThat(uuid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    assertThat(eval("States.Array(States.UUID(), States.UUID())").get(0))
        .isNotEqualTo(eval("States.Array(States.UUID(), States.UUID())").get(1));
    assertInvalid("States.UUID(1)", "States.UUID");
  }

  @Test
  void shouldMergeShallowly() {
    assertThat(eval("States.JsonMerge($.a, $.b, false)", "{\"a\":{\"x\":1,\"n\":{\"p\":1}},\"b\":{\"y\":2,\"n\":{\"q\":2}}}"))
        .isEqualTo(json("{\"x\":1,\"n\":{\"q\":2},\"y\":2}"));
    assertThat(eval("States.JsonMerge(States.StringToJson('{\"c\": \"false\"}'), $.i, false)", "{\"i\":{\"k\":\"v\"}}"))
        .isEqualTo(json("{\"c\":\"false\",\"k\":\"v\"}"));
  }

  @Test
  void shouldRejectDeepMergeAndNonObjects() {
    assertInvalid("States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'), true)", "States.JsonMerge");
    assertInvalid("States.JsonMerge(States.StringToJson('{}'), 1, false)", "States.JsonMerge");
    assertInvalid("States.JsonMerge(States.StringToJson('{}'), States.StringToJson('{}'))", "States.JsonMerge");
  }
}
