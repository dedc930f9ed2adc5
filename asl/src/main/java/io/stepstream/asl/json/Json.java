package io.stepstream.asl.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The one JSON configuration of Stepstream.
 *
 * <p>Values parsed here are treated as immutable by every caller: data-flow code copies the nodes it
 * changes (see {@code ResultPath}), so a parsed document may be shared between states and events.
 * Integers keep their exact value (Jackson picks int, long or BigInteger by size); decimals are
 * doubles, printed as Java prints them, so {@code 1.0} stays {@code 1.0}.
 */
public final class Json {

  /** Thread-safe; do not reconfigure. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /**
   * Parses JSON text.
   *
   * @throws InvalidJsonException when the text is not exactly one JSON value
   */
  public static JsonNode parse(String text) {
    if (text == null) {
      throw new InvalidJsonException("no JSON text (null)");
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new InvalidJsonException("empty JSON text");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidJsonException(e.getOriginalMessage());
    }
  }

  /** Compact JSON text of a value, as the Step Functions API prints it. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      // Writing a JsonNode tree to a String cannot fail for I/O reasons.
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether {@code text}, valid JSON, is exactly what {@link #write} writes for the value it parses
   * to: no whitespace between tokens, strings escaped as the writer escapes them, numbers as the
   * writer prints them. Then the text can stand for the value's written text without writing it.
   * False means only that it could not be shown cheaply (a decimal is checked by printing it).
   */
  public static boolean isWritten(String text) {
    int length = text.length();
    int i = 0;
    while (i < length) {
      char c = text.charAt(i);
      if (c == '"') {
        i++;
        while (true) {
          if (i >= length) {
            return false;
          }
          char d = text.charAt(i);
          if (d == '"') {
            break;
          }
          if (d == '\\') {
            // The writer escapes only these, and the other control characters (below 0x20) as six-character escapes.
            if (i + 1 >= length) {
              return false;
            }
            char e = text.charAt(i + 1);
            if (e == '"' || e == '\\' || e == 'n' || e == 't' || e == 'r' || e == 'b' || e == 'f') {
              i += 2;
              continue;
            }
            if (e != 'u' || i + 5 >= length || text.charAt(i + 2) != '0' || text.charAt(i + 3) != '0'
                || !isUpperHex(text.charAt(i + 4)) || !isUpperHex(text.charAt(i + 5))
                || Integer.parseInt(text, i + 2, i + 6, 16) >= 0x20 || isShortEscaped(Integer.parseInt(text, i + 2, i + 6, 16))) {
              return false;
            }
            i += 6;
            continue;
          }
          if (d < 0x20 || Character.isSurrogate(d)) {
            return false;
          }
          i++;
        }
        i++;
      } else if (c == '-' || c >= '0' && c <= '9') {
        int start = i;
        boolean decimal = false;
        while (i < length) {
          char d = text.charAt(i);
          if (d == '.' || d == 'e' || d == 'E') {
            decimal = true;
          } else if (!(d == '-' || d == '+' || d >= '0' && d <= '9')) {
            break;
          }
          i++;
        }
        String number = text.substring(start, i);
        if (number.equals("-0") || decimal && !Double.toString(Double.parseDouble(number)).equals(number)) {
          return false;
        }
      } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        return false;
      } else {
        i++;
      }
    }
    return true;
  }

  private static boolean isUpperHex(char c) {
    return c >= '0' && c <= '9' || c >= 'A' && c <= 'F';
  }

  private static boolean isShortEscaped(int c) {
    return c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f';
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Thrown when text is not valid JSON; the message says why, without a stack trace worth showing. */
  public static final class InvalidJsonException extends RuntimeException {
    public InvalidJsonException(String message) {
      super(message, null, false, false);
    }
  }
}
