package io.stepstream.maprun.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The entries a child contributes to its result file, shaped as AWS writes them.
 *
 * <p>{@code NONE} (and every failed or pending child, whatever the Transformation): the execution's
 * details with fields in alphabetical order, {@code Cause}, {@code Error}, {@code ExecutionArn},
 * {@code Input} (JSON text), {@code InputDetails}, {@code Name}, {@code Output} (JSON text),
 * {@code OutputDetails}, {@code RedriveCount}, {@code RedriveStatus}, {@code RedriveStatusReason},
 * {@code StartDate}, {@code StateMachineArn}, {@code Status}, {@code StopDate}; a field is left out when
 * the child has no value for it (a failed child has no Output but does have OutputDetails; a pending
 * child only has what was known before it started). Dates are ISO-8601 UTC with milliseconds, e.g.
 * {@code 2025-02-04T01:49:50.099Z}.
 *
 * <p>{@code COMPACT}: a succeeded child's output value. {@code FLATTEN}: the same, except that an array
 * output contributes each of its elements.
 */
final class ResultEntries {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ResultEntries() {}

  static List<JsonNode> of(ChildResult child, WriterSettings.Transformation transformation)
      throws ResultWriterException {
    if (!child.status().equals("SUCCEEDED") || transformation == WriterSettings.Transformation.NONE) {
      return List.of(details(child));
    }
    JsonNode output = output(child);
    if (transformation == WriterSettings.Transformation.FLATTEN && output.isArray()) {
      List<JsonNode> elements = new ArrayList<>(output.size());
      output.forEach(elements::add);
      return elements;
    }
    return List.of(output);
  }

  static ObjectNode details(ChildResult child) {
    boolean started = !child.status().equals("PENDING");
    ObjectNode entry = Json.object();
    putIfPresent(entry, "Cause", child.cause());
    putIfPresent(entry, "Error", child.error());
    putIfPresent(entry, "ExecutionArn", child.executionArn());
    if (child.input() != null) {
      entry.put("Input", child.input());
      entry.putObject("InputDetails").put("Included", true);
    }
    putIfPresent(entry, "Name", child.name());
    putIfPresent(entry, "Output", child.output());
    if (started) {
      entry.putObject("OutputDetails").put("Included", true);
      entry.put("RedriveCount", child.redriveCount());
    }
    putIfPresent(entry, "RedriveStatus", child.redriveStatus());
    putIfPresent(entry, "RedriveStatusReason", child.redriveStatusReason());
    if (started && child.startDate() > 0) {
      entry.put("StartDate", DATE.format(Instant.ofEpochMilli(child.startDate())));
    }
    putIfPresent(entry, "StateMachineArn", child.stateMachineArn());
    entry.put("Status", child.status());
    if (started && child.stopDate() > 0) {
      entry.put("StopDate", DATE.format(Instant.ofEpochMilli(child.stopDate())));
    }
    return entry;
  }

  private static JsonNode output(ChildResult child) throws ResultWriterException {
    if (child.output() == null) {
      return Json.NODES.nullNode();
    }
    try {
      return Json.parse(child.output());
    } catch (Json.InvalidJsonException e) {
      throw new ResultWriterException("The output of " + child.executionArn() + " is not valid JSON: "
          + e.getMessage());
    }
  }

  private static void putIfPresent(ObjectNode entry, String field, String value) {
    if (value != null) {
      entry.put(field, value);
    }
  }
}
