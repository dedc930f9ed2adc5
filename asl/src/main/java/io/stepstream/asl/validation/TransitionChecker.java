package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The transitions between the states of one state machine (top level, a Parallel branch or a Map
 * processor): every target exists, every state is reachable from StartAt, and some state ends the
 * machine. Transitions never cross into or out of a nested machine.
 */
final class TransitionChecker {

  private final ObjectNode states;
  private final String statesPointer;
  private final Findings findings;

  private TransitionChecker(ObjectNode states, String statesPointer, Findings findings) {
    this.states = states;
    this.statesPointer = statesPointer;
    this.findings = findings;
  }

  /**
   * Checks the machine whose {@code States} object is {@code states}.
   *
   * @param startAt the StartAt value, or null when missing or not a string (already reported)
   * @param machinePointer where the machine is, for the StartAt and no-terminal-state diagnostics; null
   *     for the top level, where AWS reports no terminal state "at null"
   */
  static void check(ObjectNode states, String startAt, String machinePointer, Findings findings) {
    String base = machinePointer == null ? Pointer.ROOT : machinePointer;
    TransitionChecker checker = new TransitionChecker(states, Pointer.child(base, "States"), findings);
    checker.targets();
    if (!checker.hasTerminalState()) {
      findings.error(Findings.MISSING_END_STATE, "Workflow has no terminal state", machinePointer);
    }
    if (startAt == null) {
      return;
    }
    if (!states.has(startAt)) {
      findings.error(Findings.MISSING_TRANSITION_TARGET, "Missing 'StartAt' target: " + startAt,
          Pointer.child(base, "StartAt"));
      return;
    }
    checker.reachability(startAt);
  }

  private void targets() {
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String statePointer = Pointer.child(statesPointer, entry.getKey());
      JsonNode state = entry.getValue();
      target(state, "Next", statePointer);
      target(state, "Default", statePointer);
      list(state, "Choices", statePointer);
      list(state, "Catch", statePointer);
    }
  }

  private void list(JsonNode state, String field, String statePointer) {
    JsonNode entries = state.get(field);
    if (entries != null && entries.isArray()) {
      for (int i = 0; i < entries.size(); i++) {
        target(entries.get(i), "Next", Pointer.child(Pointer.child(statePointer, field), i));
      }
    }
  }

  private void target(JsonNode holder, String field, String holderPointer) {
    JsonNode target = holder.get(field);
    if (target != null && target.isTextual() && !states.has(target.textValue())) {
      findings.error(Findings.MISSING_TRANSITION_TARGET, "Missing '" + field + "' target: " + target.textValue(),
          Pointer.child(holderPointer, field));
    }
  }

  private boolean hasTerminalState() {
    for (JsonNode state : states) {
      JsonNode type = state.get("Type");
      JsonNode end = state.get("End");
      if (type != null && type.isTextual() && StateFields.isTerminalByType(type.textValue())
          || end != null && end.asBoolean(false)) {
        return true;
      }
    }
    return false;
  }

  private void reachability(String startAt) {
    Set<String> reached = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add(startAt);
    while (!pending.isEmpty()) {
      String name = pending.poll();
      JsonNode state = states.get(name);
      if (state == null || !reached.add(name)) {
        continue;
      }
      follow(state.get("Next"), pending);
      follow(state.get("Default"), pending);
      for (String field : new String[] {"Choices", "Catch"}) {
        JsonNode entries = state.get(field);
        if (entries != null && entries.isArray()) {
          entries.forEach(entry -> follow(entry.get("Next"), pending));
        }
      }
    }
    for (Iterator<String> names = states.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!reached.contains(name)) {
        findings.error(Findings.MISSING_TRANSITION_TARGET, "State \"" + name + "\" is not reachable.",
            Pointer.child(statesPointer, name));
      }
    }
  }

  private static void follow(JsonNode target, Deque<String> pending) {
    if (target != null && target.isTextual()) {
      pending.add(target.textValue());
    }
  }
}
