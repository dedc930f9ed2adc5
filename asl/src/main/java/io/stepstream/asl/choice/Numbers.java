package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Exact ordering of JSON numbers for the {@code Numeric...} operators.
 *
 * <p>Values are compared as the decimal numbers they denote, never through a lossy double: {@code
 * 9007199254740993} is greater than {@code 9007199254740992}, and {@code 1} equals {@code 1.0}. A
 * double is taken at its shortest decimal form ({@link BigDecimal#valueOf(double)}), which is the
 * number as written in the JSON text. The common cases (two integers, two doubles, an integer and a
 * double within 2^53) take primitive fast paths that allocate nothing.
 */
final class Numbers {

  /** Integers up to this magnitude convert to double exactly. */
  private static final long EXACT_DOUBLE_LIMIT = 1L << 53;

  private Numbers() {}

  /** Compares two number nodes; both must be numbers. */
  static int compare(JsonNode a, JsonNode b) {
    boolean aLong = a.isInt() || a.isLong();
    boolean bLong = b.isInt() || b.isLong();
    if (aLong && bLong) {
      return Long.compare(a.longValue(), b.longValue());
    }
    boolean aDouble = a.isDouble();
    boolean bDouble = b.isDouble();
    if (aDouble && bDouble) {
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    if (aLong && bDouble && fitsDouble(a.longValue()) || aDouble && bLong && fitsDouble(b.longValue())) {
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    if (!isFinite(a) || !isFinite(b)) {
      // A literal beyond double range was parsed as an infinite double; it orders like infinity.
      return compareDoubles(a.doubleValue(), b.doubleValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static boolean fitsDouble(long value) {
    return value >= -EXACT_DOUBLE_LIMIT && value <= EXACT_DOUBLE_LIMIT;
  }

  /** Numeric order where -0.0 equals 0.0 (JSON has no NaN). */
  private static int compareDoubles(double x, double y) {
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private static boolean isFinite(JsonNode node) {
    return !(node.isDouble() || node.isFloat()) || Double.isFinite(node.doubleValue());
  }

  private static BigDecimal decimal(JsonNode node) {
    if (node.isDouble()) {
      return BigDecimal.valueOf(node.doubleValue());
    }
    if (node.isFloat()) {
      return new BigDecimal(Float.toString(node.floatValue()));
    }
    if (node.isBigDecimal()) {
      return node.decimalValue();
    }
    if (node.isBigInteger()) {
      return new BigDecimal(node.bigIntegerValue());
    }
    return BigDecimal.valueOf(node.longValue());
  }
}
