package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Parallel state: a non-empty list of branches, each a state machine of its own. */
final class ParallelStateChecker {

  private ParallelStateChecker() {}

  static void check(StateContext state, StateMachineChecker machine) {
    Fields fields = state.fields();
    fields.require("Branches");
    ArrayNode branches = fields.nonEmptyArray("Branches");
    if (branches == null) {
      return;
    }
    for (int i = 0; i < branches.size(); i++) {
      JsonNode branch = branches.get(i);
      String pointer = Pointer.child(fields.at("Branches"), i);
      if (branch.isObject()) {
        machine.checkNested((ObjectNode) branch, pointer, StateFields.BRANCH);
      } else {
        state.findings().schema("Expected value of type Object", pointer);
      }
    }
  }
}
