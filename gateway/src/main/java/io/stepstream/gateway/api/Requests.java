package io.stepstream.gateway.api;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reading request members and writing the API's value formats, with AWS's errors for wrong shapes.
 */
public final class Requests {

  private Requests() {
  }

  /**
   * Returns a string member.
   *
   * @return the text, or null when the member is absent or JSON null
   * @throws ApiException {@code SerializationException} when it is not a string
   */
  public static String optionalString(ObjectNode request, String field) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw ApiErrors.serialization("Expected a string for member '" + field + "'");
    }
    return node.textValue();
  }

  /**
   * Returns a required string member.
   *
   * @throws ApiException {@code ValidationException} when absent, {@code SerializationException} when not a string
   */
  public static String requiredString(ObjectNode request, String field) {
    String value = optionalString(request, field);
    if (value == null) {
      throw ApiErrors.missing(field);
    }
    return value;
  }

  /**
   * Returns an integer member.
   *
   * @return the value, or {@code absent} when the member is absent or JSON null
   * @throws ApiException {@code SerializationException} when it is not an integer
   */
  public static int optionalInt(ObjectNode request, String field, int absent) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw ApiErrors.serialization("Expected an integer for member '" + field + "'");
    }
    return node.intValue();
  }

  /** Returns a timestamp as the API writes it: epoch seconds with millisecond decimals. */
  public static JsonNode timestamp(long epochMillis) {
    return DecimalNode.valueOf(BigDecimal.valueOf(epochMillis, 3));
  }
}
