package io.stepstream.maprun.writer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An evaluated {@code ResultWriter}: where the files go and how entries are shaped.
 *
 * @param prefix Parameters' Prefix, "" when absent
 * @param jsonLines OutputType {@code JSONL} (else {@code JSON}, the default)
 * @param transformation WriterConfig's Transformation; {@code NONE} when absent (AWS's default when
 *     exporting to S3)
 */
record WriterSettings(String bucket, String prefix, boolean jsonLines, Transformation transformation) {

  static final String PUT_OBJECT = "arn:aws:states:::s3:putObject";

  /** How successful children's entries are shaped. */
  enum Transformation {
    /** The child's execution details, output as JSON text. */
    NONE,
    /** The child's output itself. */
    COMPACT,
    /** The child's output; an array output contributes its elements. */
    FLATTEN
  }

  static WriterSettings parse(JsonNode writer) throws ResultWriterException {
    if (writer == null || !writer.isObject()) {
      throw new ResultWriterException("The ResultWriter must be a JSON object");
    }
    String resource = writer.path("Resource").asText("");
    if (!resource.equals(PUT_OBJECT)) {
      throw new ResultWriterException("The ResultWriter Resource '" + resource + "' is not supported; use "
          + PUT_OBJECT);
    }
    JsonNode arguments = writer.has("Arguments") ? writer.get("Arguments") : writer.path("Parameters");
    JsonNode bucket = arguments.path("Bucket");
    if (!bucket.isTextual() || bucket.asText().isEmpty()) {
      throw new ResultWriterException("The ResultWriter's Bucket is required");
    }
    JsonNode prefix = arguments.path("Prefix");
    if (!prefix.isMissingNode() && !prefix.isNull() && !prefix.isTextual()) {
      throw new ResultWriterException("The ResultWriter's Prefix must be a string");
    }
    JsonNode config = writer.path("WriterConfig");
    String outputType = config.path("OutputType").asText("JSON");
    if (!outputType.equals("JSON") && !outputType.equals("JSONL")) {
      throw new ResultWriterException("WriterConfig OutputType " + outputType + " is not supported");
    }
    String transformation = config.path("Transformation").asText("NONE");
    try {
      return new WriterSettings(bucket.asText(), prefix.asText(""), outputType.equals("JSONL"),
          Transformation.valueOf(transformation));
    } catch (IllegalArgumentException e) {
      throw new ResultWriterException("WriterConfig Transformation " + transformation + " is not supported");
    }
  }

  /** {@code <Prefix>/<mapRunId>/}: AWS puts one slash between the prefix and the map run id. */
  String directory(String mapRunId) {
    if (prefix.isEmpty()) {
      return mapRunId + "/";
    }
    return prefix + (prefix.endsWith("/") ? "" : "/") + mapRunId + "/";
  }
}
