package io.stepstream.asl.jsonata;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the values the JSONata library works on (Map, List, String,
 * Number, Boolean, {@link Jsonata#NULL_VALUE}).
 *
 * <p>JSON null becomes {@code NULL_VALUE} everywhere, as the library's own literals do, so that a
 * null is never mistaken for undefined (Java null). Numbers follow JavaScript, which AWS's JSONata
 * runs on: an integral number prints as an integer (3, not 3.0), whatever its type in the library.
 * Integers keep their exact Java type on the way in, so big integers survive a pass-through.
 */
final class JsonataValues {

  /** Doubles at or above this magnitude print in exponent form in JavaScript, so they stay doubles. */
  private static final double JS_EXPONENT_THRESHOLD = 1e21;

  private JsonataValues() {}

  /** The library value of a JSON value; never Java null. */
  static Object toJava(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Jsonata.NULL_VALUE;
    }
    return switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>(mapCapacity(node.size()));
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          map.put(field.getKey(), toJava(field.getValue()));
        }
        yield map;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
          list.add(toJava(element));
        }
        yield list;
      }
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> node.numberValue();
      default -> node.asText();
    };
  }

  /**
   * The JSON value of a library value, or null when the value is undefined.
   *
   * @throws UnsupportedResultException when the value (or a part of it) is a function or regex
   */
  static JsonNode toJson(Object value) {
    if (value == null) {
      return null;
    }
    if (value == Jsonata.NULL_VALUE) {
      return Json.NODES.nullNode();
    }
    if (value instanceof String s) {
      return Json.NODES.textNode(s);
    }
    if (value instanceof Boolean b) {
      return Json.NODES.booleanNode(b);
    }
    if (value instanceof Number n) {
      return number(n);
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = Json.object();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        JsonNode child = toJson(entry.getValue());
        // JSON.stringify drops undefined members, and so does AWS.
        if (child != null) {
          object.set(String.valueOf(entry.getKey()), child);
        }
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = Json.array();
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        JsonNode child = toJson(it.next());
        // JSON.stringify writes an undefined array element as null.
        array.add(child == null ? Json.NODES.nullNode() : child);
      }
      return array;
    }
    throw new UnsupportedResultException();
  }

  /** The JSON number of a library number, printed the way JavaScript prints it. */
  static JsonNode number(Number n) {
    if (n instanceof Integer i) {
      return Json.NODES.numberNode(i);
    }
    if (n instanceof Long l) {
      return Json.NODES.numberNode(l);
    }
    if (n instanceof BigInteger b) {
      return Json.NODES.numberNode(b);
    }
    if (n instanceof Short || n instanceof Byte) {
      return Json.NODES.numberNode(n.intValue());
    }
    if (n instanceof BigDecimal d) {
      return decimal(d);
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      // JSON.stringify(NaN) and JSON.stringify(Infinity) are "null".
      return Json.NODES.nullNode();
    }
    if (d == Math.rint(d) && Math.abs(d) < JS_EXPONENT_THRESHOLD) {
      if (d == 0) {
        return Json.NODES.numberNode(0); // -0 prints as 0 in JavaScript
      }
      long l = (long) d;
      if (l == d && l != Long.MAX_VALUE && l != Long.MIN_VALUE) {
        return (int) l == l ? Json.NODES.numberNode((int) l) : Json.NODES.numberNode(l);
      }
      // Double.toString is the shortest representation, as JavaScript prints it.
      return Json.NODES.numberNode(new BigDecimal(Double.toString(d)).toBigInteger());
    }
    return Json.NODES.numberNode(d);
  }

  private static JsonNode decimal(BigDecimal d) {
    BigDecimal stripped = d.stripTrailingZeros();
    if (stripped.scale() <= 0) {
      BigInteger integer = stripped.toBigInteger();
      return integer.bitLength() < 32 ? Json.NODES.numberNode(integer.intValue())
          : integer.bitLength() < 64 ? Json.NODES.numberNode(integer.longValue())
          : Json.NODES.numberNode(integer);
    }
    return Json.NODES.numberNode(d);
  }

  private static int mapCapacity(int size) {
    return size < 3 ? 4 : (int) (size / 0.75f) + 1;
  }

  /** Thrown when an expression's value has no JSON form (a function, a regex). */
  static final class UnsupportedResultException extends RuntimeException {
    UnsupportedResultException() {
      super("unsupported result type", null, false, false);
    }
  }
}
