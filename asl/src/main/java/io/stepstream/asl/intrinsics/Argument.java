package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.PathFailures;
import io.stepstream.asl.json.Json;

/** One compiled argument of an intrinsic call: a literal, a path, or a nested call. */
sealed interface Argument {

  /** The value of the argument in a scope. */
  JsonNode evaluate(EvaluationScope scope);

  /**
   * A literal: string, number, boolean or null. {@code raw} keeps a string literal's text as written
   * between the quotes (escapes included), because States.Format must tell an escaped brace
   * ({@code \{}) from a placeholder brace.
   */
  record Literal(JsonNode value, String raw) implements Argument {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      return value;
    }
  }

  /** A JSONPath into the input ({@code $}), the context object ({@code $$}) or a variable. */
  record Path(JsonPathExpression path) implements Argument {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      JsonNode value = path.read(scope);
      if (value == null) {
        throw PathFailures.intrinsicArgumentNotFound(path, scope);
      }
      return value;
    }
  }

  /** A nested intrinsic call. */
  record Call(IntrinsicCall call) implements Argument {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      return call.evaluate(scope);
    }
  }
}
