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

  /** The page size of a listing without {@code maxResults} (or with 0). */
  public static final int DEFAULT_PAGE = 100;
  /** The largest {@code maxResults} a listing accepts. */
  public static final int MAX_PAGE = 1000;

  /**
   * Returns the page size of a listing request: its {@code maxResults}, {@value #DEFAULT_PAGE} when
   * absent or 0.
   *
   * @throws ApiException {@code ValidationException} outside 0 to {@value #MAX_PAGE}
   */
  public static int pageSize(ObjectNode request) {
    int maxResults = optionalInt(request, "maxResults", 0);
    if (maxResults < 0 || maxResults > MAX_PAGE) {
      throw ApiErrors.validation("'" + maxResults + "'", "maxResults",
          "Member must have value less than or equal to " + MAX_PAGE);
    }
    return maxResults == 0 ? DEFAULT_PAGE : maxResults;
  }

  /**
   * Returns an optional string member of at most {@code maxLength} characters.
   *
   * @throws ApiException {@code ValidationException} when longer
   */
  public static String optionalString(ObjectNode request, String field, int maxLength) {
    String value = optionalString(request, field);
    if (value != null && value.codePointCount(0, value.length()) > maxLength) {
      throw ApiErrors.validation("'" + value + "'", field, "Member must have length less than or equal to " + maxLength);
    }
    return value;
  }

  /**
   * Returns a boolean member.
   *
   * @return the value, or {@code absent} when the member is absent or JSON null
   * @throws ApiException {@code SerializationException} when it is not a boolean
   */
  public static boolean optionalBoolean(ObjectNode request, String field, boolean absent) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isBoolean()) {
      throw ApiErrors.serialization("Expected a boolean for member '" + field + "'");
    }
    return node.booleanValue();
  }

  /** Returns a timestamp as the API writes it: epoch seconds with millisecond decimals. */
  public static JsonNode timestamp(long epochMillis) {
    return DecimalNode.valueOf(BigDecimal.valueOf(epochMillis, 3));
  }
}
