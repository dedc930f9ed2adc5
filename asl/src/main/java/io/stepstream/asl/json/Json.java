package io.stepstream.asl.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

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
    BufferRecycler buffers = MAPPER.getFactory()._getBufferRecycler();
    try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
      try (JsonGenerator g = MAPPER.createGenerator(out)) {
        write(g, node);
      }
      return out.getAndClear();
    } catch (IOException e) {
      // Writing to memory cannot fail for I/O reasons.
      throw new UncheckedIOException(e);
    } finally {
      buffers.releaseToPool();
    }
  }

  /** The same text as {@link #write}, in UTF-8. */
  public static byte[] writeBytes(JsonNode node) {
    BufferRecycler buffers = MAPPER.getFactory()._getBufferRecycler();
    try (ByteArrayBuilder out = new ByteArrayBuilder(buffers)) {
      try (JsonGenerator g = MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
        write(g, node);
      }
      byte[] bytes = out.toByteArray();
      out.release();
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      buffers.releaseToPool();
    }
  }

  /** An array's text and each of its elements' texts, as {@link #write} writes them. */
  public record ArrayText(String text, String[] elements) {}

  /**
   * Writes an array and gives each element's text too, in one pass: for a Map state's items, each of
   * which its iteration's events need, one writer instead of one per item.
   */
  public static ArrayText writeEach(ArrayNode array) {
    StringWriter out = new StringWriter();
    StringBuffer text = out.getBuffer();
    String[] elements = new String[array.size()];
    try (JsonGenerator g = MAPPER.createGenerator(out)) {
      g.writeStartArray(array, elements.length);
      for (int i = 0; i < elements.length; i++) {
        g.flush();
        // The separator is written with the element that follows it.
        int start = text.length() + (i == 0 ? 0 : 1);
        write(g, array.get(i));
        g.flush();
        elements[i] = text.substring(start);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayText(text.toString(), elements);
  }

  /**
   * Writes a tree with the generator's own calls, as the mapper's serializers for nodes would, but
   * without looking them up for every value: JSON text is written for every state's input and output
   * and every answer, and that lookup was a sixth of the writing. Nodes that parsed JSON never holds
   * (binary, POJO, missing) go through the mapper.
   */
  private static void write(JsonGenerator g, JsonNode node) throws IOException {
    switch (node) {
      case ObjectNode object -> {
        g.writeStartObject(object);
        for (Map.Entry<String, JsonNode> property : object.properties()) {
          g.writeFieldName(property.getKey());
          write(g, property.getValue());
        }
        g.writeEndObject();
      }
      case ArrayNode array -> {
        g.writeStartArray(array, array.size());
        for (JsonNode element : array) {
          write(g, element);
        }
        g.writeEndArray();
      }
      case TextNode text -> g.writeString(text.textValue());
      case IntNode number -> g.writeNumber(number.intValue());
      case LongNode number -> g.writeNumber(number.longValue());
      case DoubleNode number -> g.writeNumber(number.doubleValue());
      case DecimalNode number -> g.writeNumber(number.decimalValue());
      case BigIntegerNode number -> g.writeNumber(number.bigIntegerValue());
      case BooleanNode bool -> g.writeBoolean(bool.booleanValue());
      case NullNode ignored -> g.writeNull();
      default -> MAPPER.writeTree(g, node);
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
        // Valid JSON holds no raw control characters in a string, and the writer writes every other
        // character as it is: only escapes can differ. indexOf is the JDK's fast scan.
        int from = i + 1;
        int end = text.indexOf('"', from);
        while (end >= 0) {
          int escape = text.indexOf('\\', from, end);
          if (escape < 0) {
            break;
          }
          from = escapeEnd(text, escape);
          if (from < 0) {
            return false;
          }
          if (from > end) {
            end = text.indexOf('"', from); // the quote found was the escaped one
          }
        }
        if (end < 0) {
          return false;
        }
        i = end + 1;
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
        if (c == '-' && i - start == 2 && text.charAt(start + 1) == '0') {
          return false; // -0 is written 0
        }
        if (decimal && !isWrittenDecimal(text, start, i)) {
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

  /**
   * Whether a decimal is written as it stands (decimals are doubles, printed as {@link Double#toString}
   * prints them). Without printing it for the usual form: a plain decimal with at most 7 integer
   * digits (below 10^7) and 15 digits in all (so it is the shortest text of its double), no leading
   * zero, no trailing zero but in ".0", and not below 0.001.
   */
  private static boolean isWrittenDecimal(String text, int start, int end) {
    int i = text.charAt(start) == '-' ? start + 1 : start;
    int integer = i;
    while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    int integerDigits = i - integer;
    if (i < end && text.charAt(i) == '.') {
      int fraction = i + 1;
      int j = fraction;
      while (j < end && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
        j++;
      }
      int fractionDigits = j - fraction;
      boolean zeroInteger = integerDigits == 1 && text.charAt(integer) == '0';
      if (j == end && integerDigits >= 1 && integerDigits <= 7 && fractionDigits >= 1
          && integerDigits + fractionDigits <= 15
          && (integerDigits == 1 || text.charAt(integer) != '0')
          && (fractionDigits == 1 || text.charAt(end - 1) != '0')
          && !(zeroInteger && fractionDigits >= 4 && text.startsWith("000", fraction))) {
        return true;
      }
    }
    String number = text.substring(start, end);
    return Double.toString(Double.parseDouble(number)).equals(number);
  }

  /**
   * Where the escape at {@code at} (a backslash in a string) ends, or -1 when the writer would not
   * write it so: it writes {@code \" \\ \n \t \r \b \f}, and the other control characters as six-character
   * escapes with upper-case hex digits.
   */
  private static int escapeEnd(String text, int at) {
    if (at + 1 >= text.length()) {
      return -1;
    }
    char e = text.charAt(at + 1);
    if (e == '"' || e == '\\' || e == 'n' || e == 't' || e == 'r' || e == 'b' || e == 'f') {
      return at + 2;
    }
    if (e != 'u' || at + 5 >= text.length() || text.charAt(at + 2) != '0' || text.charAt(at + 3) != '0'
        || !isUpperHex(text.charAt(at + 4)) || !isUpperHex(text.charAt(at + 5))) {
      return -1;
    }
    int code = Integer.parseInt(text, at + 2, at + 6, 16);
    return code >= 0x20 || isShortEscaped(code) ? -1 : at + 6;
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
