package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;

/**
 * One evaluation of a function: its evaluated arguments, the scope, and the checks AWS applies to
 * arguments. Every failed check is AWS's States.Runtime "Invalid arguments in States.X".
 */
final class Invocation {
  private final IntrinsicCall call;
  private final JsonNode[] args;
  private final EvaluationScope scope;

  Invocation(IntrinsicCall call, JsonNode[] args, EvaluationScope scope) {
    this.call = call;
    this.args = args;
    this.scope = scope;
  }

  IntrinsicCall call() {
    return call;
  }

  EvaluationScope scope() {
    return scope;
  }

  int count() {
    return args.length;
  }

  JsonNode arg(int i) {
    return args[i];
  }

  StatesException invalid() {
    return StatesException.runtime("Invalid arguments in " + call.function().functionName());
  }

  /** Fails unless the call has between {@code min} and {@code max} arguments. */
  void requireCount(int min, int max) {
    if (args.length < min || args.length > max) {
      throw invalid();
    }
  }

  void requireCount(int exactly) {
    requireCount(exactly, exactly);
  }

  String string(int i) {
    if (!args[i].isTextual()) {
      throw invalid();
    }
    return args[i].textValue();
  }

  JsonNode array(int i) {
    if (!args[i].isArray()) {
      throw invalid();
    }
    return args[i];
  }

  JsonNode object(int i) {
    if (!args[i].isObject()) {
      throw invalid();
    }
    return args[i];
  }

  /** A number argument truncated toward zero, as AWS does for ArrayRange, ArrayPartition and the like. */
  long truncated(int i) {
    JsonNode node = args[i];
    if (!node.isNumber()) {
      throw invalid();
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw invalid();
      }
      return node.longValue();
    }
    double value = node.doubleValue();
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw invalid();
    }
    return (long) value;
  }

  /** The JSON number for an integer result: int-sized when it fits, so it equals parsed JSON. */
  static JsonNode integer(long value) {
    return value == (int) value ? Json.NODES.numberNode((int) value) : Json.NODES.numberNode(value);
  }
}
