package io.stepstream.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus README's comparison rules, applied to our result: status; output structurally with
 * placeholders; error exactly; cause exactly except placeholders ({@code cause_json} parsed); for
 * INVALID_DEFINITION, the validator's message after {@code Invalid State Machine Definition: }.
 */
public final class OutcomeComparator {

  static final String INVALID_DEFINITION_PREFIX = "Invalid State Machine Definition: ";

  private OutcomeComparator() {}

  /** The differences between what AWS did and our execution; empty when they match. */
  public static List<String> compare(ConformanceCase c, ExecutionOutcome outcome) {
    ConformanceCase.Expected expected = c.expected();
    Placeholders placeholders = new Placeholders(c.wildcards());
    List<String> differences = new ArrayList<>();
    if (!expected.status().equals(outcome.status().name())) {
      differences.add("status: expected " + expected.status() + ", got " + outcome.status()
          + (outcome.error().isEmpty() ? "" : " (" + outcome.error() + ": "
              + Placeholders.abbreviate(outcome.cause()) + ")"));
      return differences;
    }
    if (expected.output() != null) {
      JsonNode ours = parseOrText(outcome.output());
      String difference = placeholders.difference("output", expected.output(), ours);
      if (difference != null) {
        differences.add(difference);
      }
    }
    if (expected.error() != null && !expected.error().equals(outcome.error())) {
      differences.add("error: expected " + expected.error() + ", got " + outcome.error());
    }
    if (expected.causeJson() != null) {
      String difference = placeholders.difference("cause", expected.causeJson(), parseOrText(outcome.cause()));
      if (difference != null) {
        differences.add(difference);
      }
    } else if (expected.cause() != null && !placeholders.matchesText(expected.cause(), outcome.cause())) {
      differences.add("cause: expected " + Placeholders.abbreviate(quote(expected.cause())) + ", got "
          + Placeholders.abbreviate(quote(outcome.cause())));
    }
    return differences;
  }

  /** For INVALID_DEFINITION cases: the validator must reject, with AWS's message. */
  public static List<String> compareRejection(ConformanceCase c, ValidationResult result) {
    if (result.ok()) {
      return List.of("validation: expected InvalidDefinition, the validator accepted the definition");
    }
    String expected = messageAfterPrefix(c.expected().cause());
    String ours = messageAfterPrefix(result.invalidDefinitionMessage());
    if (expected == null || expected.equals(ours)) {
      return List.of();
    }
    return List.of("validation message: expected " + quote(expected) + ", got " + quote(ours)
        + (code(expected).equals(code(ours)) ? " (same code)" : ""));
  }

  private static String messageAfterPrefix(String text) {
    if (text == null) {
      return null;
    }
    int at = text.indexOf(INVALID_DEFINITION_PREFIX);
    return at < 0 ? text : text.substring(at + INVALID_DEFINITION_PREFIX.length());
  }

  /** {@code 'SCHEMA_VALIDATION_FAILED: ...'} gives {@code SCHEMA_VALIDATION_FAILED}. */
  private static String code(String message) {
    String unquoted = message.startsWith("'") ? message.substring(1) : message;
    int colon = unquoted.indexOf(':');
    return colon < 0 ? unquoted : unquoted.substring(0, colon);
  }

  /** Output and JSON causes are JSON text; text that is not JSON is compared as a string. */
  private static JsonNode parseOrText(String text) {
    try {
      return Json.parse(text);
    } catch (Json.InvalidJsonException e) {
      return Json.NODES.textNode(text);
    }
  }

  private static String quote(String text) {
    return Json.write(Json.NODES.textNode(text));
  }
}
