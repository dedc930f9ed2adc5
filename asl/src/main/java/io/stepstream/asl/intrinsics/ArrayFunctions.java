package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.json.Json;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/** The array functions: Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique. */
final class ArrayFunctions {
  /** AWS's limit on the size of an array built by ArrayRange. */
  static final int MAX_RANGE_ITEMS = 1000;

  /** Numbers compare by value (1 equals 1.0); everything else as JSON equality. */
  private static final Comparator<JsonNode> JSON_EQUALITY = (a, b) -> {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue());
    }
    return a.equals(b) ? 0 : 1;
  };

  private ArrayFunctions() {}

  static JsonNode array(Invocation in) {
    ArrayNode out = Json.array();
    for (int i = 0; i < in.count(); i++) {
      out.add(in.arg(i));
    }
    return out;
  }

  static JsonNode partition(Invocation in) {
    in.requireCount(2);
    JsonNode array = in.array(0);
    long size = in.truncated(1);
    if (size < 1) {
      throw in.invalid();
    }
    ArrayNode out = Json.array();
    ArrayNode chunk = null;
    for (int i = 0; i < array.size(); i++) {
      if (i % size == 0) {
        chunk = out.addArray();
      }
      chunk.add(array.get(i));
    }
    return out;
  }

  static JsonNode contains(Invocation in) {
    in.requireCount(2);
    JsonNode array = in.array(0);
    JsonNode wanted = in.arg(1);
    for (JsonNode item : array) {
      if (item.equals(JSON_EQUALITY, wanted)) {
        return Json.NODES.booleanNode(true);
      }
    }
    return Json.NODES.booleanNode(false);
  }

  /** Start and end inclusive; a negative step counts down; at most 1000 items. */
  static JsonNode range(Invocation in) {
    in.requireCount(3);
    long start = in.truncated(0);
    long end = in.truncated(1);
    long step = in.truncated(2);
    if (step == 0) {
      throw in.invalid();
    }
    ArrayNode out = Json.array();
    if (step > 0 ? start > end : start < end) {
      return out;
    }
    long count = (end - start) / step + 1;
    if (count > MAX_RANGE_ITEMS) {
      throw in.invalid();
    }
    for (long i = 0, value = start; i < count; i++, value += step) {
      out.add(Invocation.integer(value));
    }
    return out;
  }

  static JsonNode getItem(Invocation in) {
    in.requireCount(2);
    JsonNode array = in.array(0);
    long index = in.truncated(1);
    if (array.isEmpty()) {
      // AWS answers null, not an error, for any index into an empty array.
      return Json.NODES.nullNode();
    }
    if (index < 0 || index >= array.size()) {
      throw in.invalid();
    }
    return array.get((int) index);
  }

  static JsonNode length(Invocation in) {
    in.requireCount(1);
    return Json.NODES.numberNode(in.array(0).size());
  }

  static JsonNode unique(Invocation in) {
    in.requireCount(1);
    Set<JsonNode> seen = new LinkedHashSet<>();
    for (JsonNode item : in.array(0)) {
      seen.add(item);
    }
    ArrayNode out = Json.array();
    out.addAll(seen);
    return out;
  }
}
