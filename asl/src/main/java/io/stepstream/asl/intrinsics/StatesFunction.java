package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** The intrinsic functions AWS defines, each with the code that evaluates it. */
enum StatesFunction {
  FORMAT("States.Format", TextFunctions::format),
  STRING_TO_JSON("States.StringToJson", TextFunctions::stringToJson),
  JSON_TO_STRING("States.JsonToString", TextFunctions::jsonToString),
  ARRAY("States.Array", ArrayFunctions::array),
  ARRAY_PARTITION("States.ArrayPartition", ArrayFunctions::partition),
  ARRAY_CONTAINS("States.ArrayContains", ArrayFunctions::contains),
  ARRAY_RANGE("States.ArrayRange", ArrayFunctions::range),
  ARRAY_GET_ITEM("States.ArrayGetItem", ArrayFunctions::getItem),
  ARRAY_LENGTH("States.ArrayLength", ArrayFunctions::length),
  ARRAY_UNIQUE("States.ArrayUnique", ArrayFunctions::unique),
  BASE64_ENCODE("States.Base64Encode", TextFunctions::base64Encode),
  BASE64_DECODE("States.Base64Decode", TextFunctions::base64Decode),
  HASH("States.Hash", TextFunctions::hash),
  JSON_MERGE("States.JsonMerge", MathFunctions::jsonMerge),
  MATH_RANDOM("States.MathRandom", MathFunctions::random),
  MATH_ADD("States.MathAdd", MathFunctions::add),
  STRING_SPLIT("States.StringSplit", TextFunctions::split),
  UUID("States.UUID", MathFunctions::uuid);

  /** The evaluation of one function over its evaluated arguments. */
  @FunctionalInterface
  interface Body {
    JsonNode apply(Invocation invocation);
  }

  private static final Map<String, StatesFunction> BY_NAME = new HashMap<>();

  static {
    for (StatesFunction function : values()) {
      BY_NAME.put(function.functionName, function);
    }
  }

  private final String functionName;
  private final Body body;

  StatesFunction(String functionName, Body body) {
    this.functionName = functionName;
    this.body = body;
  }

  /** The function named exactly so ("States.Format"), or null. */
  static StatesFunction byName(String name) {
    return BY_NAME.get(name);
  }

  String functionName() {
    return functionName;
  }

  JsonNode apply(Invocation invocation) {
    return body.apply(invocation);
  }
}
