package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;

/**
 * One state: its Type, query language, which fields its type and language allow, how it transitions
 * (Next or End), its data flow, then the checks of its own type.
 */
final class StateChecker {

  private static final List<String> SORTED_TYPES = StateFields.TYPES.stream().sorted().toList();

  private final StateMachineChecker machine;

  StateChecker(StateMachineChecker machine) {
    this.machine = machine;
  }

  /** Checks the state {@code name} found at {@code pointer}. */
  void check(String name, JsonNode node, String pointer) {
    Findings findings = machine.findings();
    if (!node.isObject()) {
      findings.schema("Expected value of type Object", pointer);
      return;
    }
    Fields fields = new Fields((ObjectNode) node, pointer, findings);
    fields.require("Type");
    String type = fields.string("Type");
    if (type == null) {
      return;
    }
    if (!StateFields.TYPES.contains(type)) {
      findings.schema("Value should be one of the following: " + SORTED_TYPES, fields.at("Type"));
      return;
    }
    StateContext state = new StateContext(name, type, fields, language(fields));
    supportedFields(state);
    fields.string("Comment");
    transition(state);
    DataFlowChecker.check(state);
    switch (type) {
      case "Pass", "Succeed" -> { }
      case "Task" -> TaskStateChecker.check(state);
      case "Choice" -> ChoiceRuleChecker.check(state);
      case "Wait" -> WaitStateChecker.check(state);
      case "Fail" -> FailStateChecker.check(state);
      case "Parallel" -> ParallelStateChecker.check(state, machine);
      case "Map" -> MapStateChecker.check(state, machine);
      default -> throw new IllegalStateException("unhandled state type " + type);
    }
    ErrorHandlingChecker.check(state);
  }

  /**
   * The state's own QueryLanguage, else the machine's. States inside Parallel branches and Map
   * processors inherit the machine's top-level language, not the enclosing state's (as AWS measures it).
   */
  private QueryLanguage language(Fields fields) {
    QueryLanguage top = machine.language();
    if (!fields.has("QueryLanguage")) {
      return top;
    }
    fields.oneOf("QueryLanguage", "JSONPath", "JSONata");
    JsonNode value = fields.get("QueryLanguage");
    QueryLanguage own = value.isTextual() ? QueryLanguage.fromField(value.textValue()) : null;
    if (own == null) {
      return top;
    }
    if (own == QueryLanguage.JSONPATH && top == QueryLanguage.JSONATA) {
      fields.findings().schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
          fields.pointer());
    }
    return own;
  }

  private static void supportedFields(StateContext state) {
    Fields fields = state.fields();
    for (Iterator<String> names = fields.object().fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!StateFields.supports(state.type(), field)) {
        fields.notSupported(field);
      } else if (state.isJsonata() ? StateFields.JSONPATH_ONLY.contains(field)
          : StateFields.JSONATA_ONLY.contains(field)) {
        fields.wrongLanguage(field, state.language());
      }
    }
  }

  /** Next or End: exactly one for the types that transition; Choice, Succeed and Fail have neither. */
  private static void transition(StateContext state) {
    Fields fields = state.fields();
    fields.string("Next");
    fields.bool("End");
    String type = state.type();
    if (type.equals("Choice") || StateFields.isTerminalByType(type)) {
      return; // Next and End there are reported as unsupported fields
    }
    boolean next = fields.has("Next");
    boolean end = fields.has("End") && fields.get("End").asBoolean(false);
    if (next && end) {
      fields.findings().schema("Only one of the fields [Next, End] can be set", fields.pointer());
    } else if (!next && !end) {
      fields.findings().schema("These fields are required: [Next or End]", fields.pointer());
    }
  }
}
