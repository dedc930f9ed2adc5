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
