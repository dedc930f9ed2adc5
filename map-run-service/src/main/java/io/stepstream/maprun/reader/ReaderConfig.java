package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An evaluated {@code ItemReader}: what to read and how.
 *
 * @param listing whether the resource is {@code s3:listObjectsV2} (else {@code s3:getObject})
 * @param prefix ListObjectsV2's Prefix, or null
 * @param delimiter ListObjectsV2's Delimiter, or null
 * @param startAfter ListObjectsV2's StartAfter, or null
 * @param key GetObject's Key, or null for a listing
 * @param inputType how the object's content is read; null for a listing
 * @param givenHeaders the CSV headers when CSVHeaderLocation is GIVEN, else null (FIRST_ROW)
 * @param csvDelimiter the CSV field separator
 * @param maxItems MaxItems, 0 for no limit
 */
record ReaderConfig(boolean listing, String bucket, String prefix, String delimiter, String startAfter, String key,
    InputType inputType, List<String> givenHeaders, byte csvDelimiter, long maxItems) {

  static final String LIST_OBJECTS_V2 = "arn:aws:states:::s3:listObjectsV2";
  static final String GET_OBJECT = "arn:aws:states:::s3:getObject";

  /** The ReaderConfig InputTypes read here. */
  enum InputType { JSON, JSONL, CSV, MANIFEST }

  /** Reads an evaluated ItemReader object. */
  static ReaderConfig parse(JsonNode reader) throws ItemReaderException {
    if (reader == null || !reader.isObject()) {
      throw new ItemReaderException("The ItemReader must be a JSON object");
    }
    String resource = reader.path("Resource").asText("");
    JsonNode arguments = reader.has("Arguments") ? reader.get("Arguments") : reader.path("Parameters");
    JsonNode config = reader.path("ReaderConfig");
    if (!arguments.isObject()) {
      throw new ItemReaderException("The ItemReader has no Parameters (or Arguments) object");
    }
    String bucket = text(arguments, "Bucket", true);
    long maxItems = maxItems(config.get("MaxItems"));
    if (resource.equals(LIST_OBJECTS_V2)) {
      if (!config.path("Transformation").asText("NONE").equals("NONE")) {
        throw new ItemReaderException("ReaderConfig Transformation " + config.path("Transformation").asText()
            + " is not supported");
      }
      return new ReaderConfig(true, bucket, text(arguments, "Prefix", false), text(arguments, "Delimiter", false),
          text(arguments, "StartAfter", false), null, null, null, (byte) ',', maxItems);
    }
    if (!resource.equals(GET_OBJECT)) {
      throw new ItemReaderException("The ItemReader Resource '" + resource + "' is not supported; use "
          + LIST_OBJECTS_V2 + " or " + GET_OBJECT);
    }
    InputType type = inputType(config);
    return new ReaderConfig(false, bucket, null, null, null, text(arguments, "Key", true), type,
        type == InputType.CSV ? givenHeaders(config) : null, csvDelimiter(config), maxItems);
  }

  /** Where the items come from, for messages: {@code s3://bucket/key} or {@code s3://bucket/prefix}. */
  String source() {
    return "s3://" + bucket + "/" + (listing ? (prefix == null ? "" : prefix) : key);
  }

  private static InputType inputType(JsonNode config) throws ItemReaderException {
    String manifestType = config.path("ManifestType").asText("");
    if (manifestType.equals("S3_INVENTORY")) {
      return InputType.MANIFEST;
    }
    if (!manifestType.isEmpty()) {
      throw new ItemReaderException("ReaderConfig ManifestType " + manifestType + " is not supported");
    }
    String type = config.path("InputType").asText("");
    try {
      return InputType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw new ItemReaderException(type.isEmpty() ? "ReaderConfig InputType is required to read an object"
          : "ReaderConfig InputType " + type + " is not supported");
    }
  }

  private static List<String> givenHeaders(JsonNode config) throws ItemReaderException {
    String location = config.path("CSVHeaderLocation").asText("FIRST_ROW");
    if (location.equals("FIRST_ROW")) {
      return null;
    }
    if (!location.equals("GIVEN")) {
      throw new ItemReaderException("ReaderConfig CSVHeaderLocation " + location + " is not supported");
    }
    JsonNode headers = config.path("CSVHeaders");
    if (!headers.isArray() || headers.isEmpty()) {
      throw new ItemReaderException("ReaderConfig CSVHeaders must be a non-empty array of strings when "
          + "CSVHeaderLocation is GIVEN");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode header : headers) {
      if (!header.isTextual()) {
        throw new ItemReaderException("ReaderConfig CSVHeaders must hold strings only");
      }
      names.add(header.asText());
    }
    requireDistinct(names);
    return List.copyOf(names);
  }

  /** AWS refuses repeated header names, given or read from the first row. */
  static void requireDistinct(List<String> headers) throws ItemReaderException {
    Set<String> seen = new HashSet<>();
    for (String header : headers) {
      if (!seen.add(header)) {
        throw new ItemReaderException("CSV headers cannot contain duplicates.");
      }
    }
  }

  private static byte csvDelimiter(JsonNode config) throws ItemReaderException {
    String name = config.path("CSVDelimiter").asText("COMMA");
    return switch (name) {
      case "COMMA" -> (byte) ',';
      case "PIPE" -> (byte) '|';
      case "SEMICOLON" -> (byte) ';';
      case "SPACE" -> (byte) ' ';
      case "TAB" -> (byte) '\t';
      default -> throw new ItemReaderException("ReaderConfig CSVDelimiter " + name + " is not supported");
    };
  }

  private static long maxItems(JsonNode value) throws ItemReaderException {
    if (value == null || value.isNull()) {
      return 0;
    }
    // AWS's cause for a negative MaxItems; 0 means no limit.
    if (!value.isIntegralNumber() || value.asLong() < 0) {
      throw new ItemReaderException("field MaxItems must be positive");
    }
    return value.asLong();
  }

  private static String text(JsonNode arguments, String field, boolean required) throws ItemReaderException {
    JsonNode value = arguments.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new ItemReaderException("The ItemReader's " + field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new ItemReaderException("The ItemReader's " + field + " must be a string");
    }
    return value.asText();
  }
}
