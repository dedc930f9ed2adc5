package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** MathRandom, MathAdd, UUID and JsonMerge: the functions over numbers, randomness and objects. */
final class MathFunctions {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private MathFunctions() {}

  /**
   * A random integer in [start, end). Bounds are truncated to integers. With a seed the value is a
   * pure function of the seed; without one it comes from the scope's deterministic generator.
   */
  static JsonNode random(Invocation in) {
    in.requireCount(2, 3);
    long start = in.truncated(0);
    long end = in.truncated(1);
    if (start >= end) {
      throw in.invalid();
    }
    RandomGenerator generator = in.count() == 3
        ? new SplittableRandom(in.truncated(2))
        : in.scope().random();
    return Invocation.integer(generator.nextLong(start, end));
  }

  /** The sum of two 32-bit integers; decimal operands are rounded to the nearest integer first. */
  static JsonNode add(Invocation in) {
    in.requireCount(2);
    long sum = int32(in, 0) + int32(in, 1);
    if (sum != (int) sum) {
      throw in.invalid();
    }
    return Json.NODES.numberNode((int) sum);
  }

  /** A version 4 UUID drawn from the scope's deterministic generator. */
  static JsonNode uuid(Invocation in) {
    in.requireCount(0);
    RandomGenerator random = in.scope().random();
    long high = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long low = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    char[] out = new char[36];
    int at = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[at++] = '-';
      }
      long word = i < 16 ? high : low;
      int shift = (15 - (i % 16)) * 4;
      out[at++] = HEX[(int) ((word >>> shift) & 0xf)];
    }
    return Json.NODES.textNode(new String(out));
  }

  /** A shallow merge, the second object's fields winning; AWS supports only deep = false. */
  static JsonNode jsonMerge(Invocation in) {
    in.requireCount(3);
    JsonNode first = in.object(0);
    JsonNode second = in.object(1);
    JsonNode deep = in.arg(2);
    if (!deep.isBoolean() || deep.booleanValue()) {
      throw in.invalid();
    }
    ObjectNode merged = Json.object();
    merged.setAll((ObjectNode) first);
    merged.setAll((ObjectNode) second);
    return merged;
  }

  private static long int32(Invocation in, int i) {
    JsonNode node = in.arg(i);
    if (!node.isNumber()) {
      throw in.invalid();
    }
    long value;
    if (node.isIntegralNumber()) {
      if (!node.canConvertToInt()) {
        throw in.invalid();
      }
      value = node.longValue();
    } else {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw in.invalid();
      }
      value = Math.round(d);
    }
    if (value != (int) value) {
      throw in.invalid();
    }
    return value;
  }
}
