package io.stepstream.asl.validation;

/** A Fail state: Error or ErrorPath (not both), Cause or CausePath (not both). */
final class FailStateChecker {

  private FailStateChecker() {}

  static void check(StateContext state) {
    Fields fields = state.fields();
    fields.exclusive("Error", "ErrorPath");
    fields.exclusive("Cause", "CausePath");
    for (String field : new String[] {"Error", "Cause"}) {
      if (!DataFlowChecker.jsonataString(state, field)) {
        fields.string(field);
      }
    }
    if (!state.isJsonata()) {
      DataFlowChecker.pathOrIntrinsic(fields, "ErrorPath");
      DataFlowChecker.pathOrIntrinsic(fields, "CausePath");
    }
  }
}
