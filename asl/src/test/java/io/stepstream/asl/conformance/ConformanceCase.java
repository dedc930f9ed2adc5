package io.stepstream.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One recorded AWS execution of the conformance corpus ({@code cases/<id>.json}; the corpus README
 * describes the format).
 *
 * @param id the case id (the file name without {@code .json})
 * @param definitionText the definition as JSON text, as it would be passed to CreateStateMachine
 * @param input the execution input; null for INVALID_DEFINITION cases
 * @param expected what AWS produced
 * @param wildcards the placeholder strings that occur in {@code expected}
 * @param historyTypes the recorded event types in recorded order; empty when no history was recorded
 * @param history the recorded events (an array; empty when none was recorded)
 */
public record ConformanceCase(
    String id,
    String definitionText,
    JsonNode input,
    Expected expected,
    List<String> wildcards,
    List<String> historyTypes,
    JsonNode history) {

  /** The corpus directory's case folder. */
  static final String CASES = "cases";

  /**
   * What AWS produced.
   *
   * @param status SUCCEEDED, FAILED, TIMED_OUT, ABORTED or INVALID_DEFINITION
   * @param output the output value (SUCCEEDED only, else null)
   * @param error the error name, or null when none was recorded
   * @param cause the cause text, or null when none was recorded
   * @param causeJson the parsed cause when AWS's cause was JSON text, else null
   */
  public record Expected(String status, JsonNode output, String error, String cause, JsonNode causeJson) {

    public boolean invalidDefinition() {
      return "INVALID_DEFINITION".equals(status);
    }
  }

  /** Every case under {@code <corpus>/cases}, sorted by id. */
  public static List<ConformanceCase> loadAll(Path corpus) {
    try (Stream<Path> files = Files.list(corpus.resolve(CASES))) {
      List<ConformanceCase> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        cases.add(load(file));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One case file. */
  static ConformanceCase load(Path file) throws IOException {
    return parse(Json.parse(Files.readString(file)));
  }

  /** A case from its parsed JSON. */
  static ConformanceCase parse(JsonNode c) {
    JsonNode e = c.get("expected");
    Expected expected = new Expected(e.get("status").textValue(), e.get("output"), text(e, "error"),
        text(e, "cause"), e.get("cause_json"));
    JsonNode history = c.get("history");
    return new ConformanceCase(
        c.get("id").textValue(),
        Json.write(c.get("definition")),
        c.get("input"),
        expected,
        strings(c.get("wildcards")),
        strings(c.get("history_types")),
        history == null || history.isNull() ? Json.array() : history);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.textValue();
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> values.add(v.textValue()));
    }
    return List.copyOf(values);
  }
}
