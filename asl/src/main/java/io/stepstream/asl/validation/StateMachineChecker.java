package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A whole definition: the top-level fields, then every state machine in it (the top level, Parallel
 * branches, Map processors, recursively) with their states and transitions. Holds what spans the whole
 * definition: the top-level query language and the state names already seen, which must be unique
 * across all nesting levels.
 */
final class StateMachineChecker {

  private static final int MAX_STATE_NAME_LENGTH = 80;
  private static final long MAX_TIMEOUT_SECONDS = 99_999_999L;

  private final Findings findings;
  private final Map<String, String> stateNames = new HashMap<>();
  private final StateChecker stateChecker = new StateChecker(this);
  private QueryLanguage language = QueryLanguage.JSONPATH;

  private StateMachineChecker(Findings findings) {
    this.findings = findings;
  }

  /** Checks a parsed definition. */
  static void check(JsonNode definition, Findings findings) {
    if (!definition.isObject()) {
      findings.schema("Expected value of type Object", Pointer.ROOT);
      return;
    }
    new StateMachineChecker(findings).topLevel((ObjectNode) definition);
  }

  Findings findings() {
    return findings;
  }

  /** The top-level query language, inherited by every state that does not set its own. */
  QueryLanguage language() {
    return language;
  }

  private void topLevel(ObjectNode definition) {
    Fields fields = new Fields(definition, Pointer.ROOT, findings);
    fields.allowOnly(StateFields.MACHINE);
    fields.string("Comment");
    fields.string("Version");
    fields.integer("TimeoutSeconds", 0, MAX_TIMEOUT_SECONDS);
    fields.oneOf("QueryLanguage", "JSONPath", "JSONata");
    JsonNode queryLanguage = definition.get("QueryLanguage");
    if (queryLanguage != null && QueryLanguage.fromField(queryLanguage.asText()) == QueryLanguage.JSONATA) {
      language = QueryLanguage.JSONATA;
    }
    states(fields, null);
  }

  /**
   * Checks a nested state machine (a Parallel branch or a Map processor) at {@code pointer}, allowing
   * the fields in {@code allowed}.
   */
  void checkNested(ObjectNode machine, String pointer, Set<String> allowed) {
    Fields fields = new Fields(machine, pointer, findings);
    fields.allowOnly(allowed);
    fields.string("Comment");
    states(fields, pointer);
  }

  /** StartAt and States of a machine, each state, then the transitions between them. */
  private void states(Fields machine, String machinePointer) {
    machine.require("StartAt", "States");
    String startAt = machine.string("StartAt");
    ObjectNode states = machine.objectField("States");
    if (states == null) {
      return;
    }
    if (states.isEmpty()) {
      findings.schema("Value cannot be empty", machine.at("States"));
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String pointer = Pointer.child(machine.at("States"), entry.getKey());
      stateName(entry.getKey(), pointer);
      stateChecker.check(entry.getKey(), entry.getValue(), pointer);
    }
    TransitionChecker.check(states, startAt, machinePointer, findings);
  }

  private void stateName(String name, String pointer) {
    if (name.isEmpty() || name.length() > MAX_STATE_NAME_LENGTH) {
      findings.error(Findings.INVALID_STATE_NAME,
          "State name must be between 1 and " + MAX_STATE_NAME_LENGTH + " characters long", pointer);
    }
    String first = stateNames.putIfAbsent(name, pointer);
    if (first != null) {
      findings.error(Findings.DUPLICATE_STATE_NAME, "Duplicate State name: " + name, pointer);
    }
  }
}
