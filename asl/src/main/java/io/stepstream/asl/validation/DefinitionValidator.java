package io.stepstream.asl.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.util.Locale;

/**
 * Validates state machine definitions statically, as {@code ValidateStateMachineDefinition} does, and
 * reports every problem found rather than the first one. CreateStateMachine rejects a definition whose
 * result is not ok with {@link ValidationResult#invalidDefinitionMessage()}.
 *
 * <p>Stateless and thread-safe. Never throws for bad input: malformed JSON is a diagnostic.
 */
public final class DefinitionValidator {

  private DefinitionValidator() {}

  /**
   * Validates a definition given as JSON text.
   *
   * @param definitionJson the definition; null or blank gives a {@code MISSING_DESCRIPTION} error
   * @return the result; never null
   */
  public static ValidationResult validate(String definitionJson) {
    Findings findings = new Findings();
    if (definitionJson == null || definitionJson.isBlank()) {
      findings.error(Findings.MISSING_DESCRIPTION, "Received a null or empty workflow input", null);
      return ValidationResult.of(findings.diagnostics());
    }
    JsonNode definition;
    try {
      definition = Json.MAPPER.readTree(definitionJson);
    } catch (JsonProcessingException e) {
      malformed(e, findings);
      return ValidationResult.of(findings.diagnostics());
    }
    StateMachineChecker.check(definition, findings);
    return ValidationResult.of(findings.diagnostics());
  }

  /**
   * Validates a parsed definition. Duplicate member names cannot be detected here (the tree keeps one);
   * {@link #validate(String)} detects them.
   *
   * @param definition the definition; null gives a {@code MISSING_DESCRIPTION} error
   * @return the result; never null
   */
  public static ValidationResult validate(JsonNode definition) {
    Findings findings = new Findings();
    if (definition == null || definition.isMissingNode() || definition.isNull()) {
      findings.error(Findings.MISSING_DESCRIPTION, "Received a null or empty workflow input", null);
    } else {
      StateMachineChecker.check(definition, findings);
    }
    return ValidationResult.of(findings.diagnostics());
  }

  /**
   * Reports text that is not one JSON value. A member name repeated in the States object is a duplicate
   * state name, as AWS reports it; any other repetition is malformed JSON.
   */
  private static void malformed(JsonProcessingException e, Findings findings) {
    String pointer = null;
    if (e.getProcessor() instanceof JsonParser parser) {
      pointer = parser.getParsingContext().pathAsPointer().toString();
    }
    String message = e.getOriginalMessage();
    if (message.startsWith("Duplicate field '") && pointer != null && isStatePointer(pointer)) {
      String name = message.substring("Duplicate field '".length(), message.length() - 1);
      findings.error(Findings.DUPLICATE_STATE_NAME, "Duplicate State name: " + name, pointer);
      return;
    }
    JsonLocation location = e.getLocation();
    if (location != null) {
      message = message + String.format(Locale.ROOT, " (line %d, column %d)", location.getLineNr(),
          location.getColumnNr());
    }
    findings.error(Findings.INVALID_JSON_DESCRIPTION, message, pointer);
  }

  /** True for a pointer to a member of a States object: {@code .../States/<name>}. */
  private static boolean isStatePointer(String pointer) {
    int last = pointer.lastIndexOf('/');
    return last > 0 && pointer.substring(0, last).endsWith("/States");
  }
}
