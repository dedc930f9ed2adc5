package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Test helpers: evaluate a call text against a JSON input. */
final class Intrinsics {
  private Intrinsics() {}

  static EvaluationScope scope(String input) {
    return EvaluationScope.of(Json.parse(input), Json.parse("{\"Execution\":{\"Name\":\"exec-1\"}}"),
        Variables.NONE, new SplittableRandom(7));
  }

  static JsonNode eval(String call, String input) {
    return IntrinsicFunctions.parse(call).evaluate(scope(input));
  }

  static JsonNode eval(String call) {
    return eval(call, "{}");
  }

  static JsonNode json(String text) {
    return Json.parse(text);
  }

  /** Asserts that evaluating fails with States.Runtime and exactly this cause. */
  static void assertFails(String call, String input, String cause) {
    StatesException e = catchThrowableOfType(StatesException.class, () -> eval(call, input));
    assertThat(e).as("%s should fail", call).isNotNull();
    assertThat(e.error()).isEqualTo("States.Runtime");
    assertThat(e.cause()).isEqualTo(cause);
  }

  static void assertInvalid(String call, String function) {
    assertFails(call, "{}", "Invalid arguments in " + function);
  }

  static ThrowableAssert.ThrowingCallable parsing(String call) {
    return () -> IntrinsicFunctions.parse(call);
  }
}
