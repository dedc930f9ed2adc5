package io.stepstream.asl.validation;

/** A Wait state: exactly one of Seconds, Timestamp, SecondsPath and TimestampPath, each well formed. */
final class WaitStateChecker {

  private static final long MAX_SECONDS = 99_999_999L;

  private WaitStateChecker() {}

  static void check(StateContext state) {
    Fields fields = state.fields();
    fields.exactlyOne("Seconds", "Timestamp", "SecondsPath", "TimestampPath");
    DataFlowChecker.integerOrJsonata(state, "Seconds", 0, MAX_SECONDS);
    if (!DataFlowChecker.jsonataString(state, "Timestamp")) {
      String timestamp = fields.string("Timestamp");
      if (timestamp != null && !TimestampFormat.isValid(timestamp)) {
        state.findings().schema("String does not match RFC3339 timestamp", fields.at("Timestamp"));
      }
    }
    if (!state.isJsonata()) {
      DataFlowChecker.definitePath(fields, "SecondsPath");
      DataFlowChecker.definitePath(fields, "TimestampPath");
    }
  }
}
