package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Task state: its Resource, its timeouts (a value or a path, never both; the heartbeat shorter than the
 * timeout) and Credentials.
 */
final class TaskStateChecker {

  private static final long MAX_SECONDS = 99_999_999L;

  private TaskStateChecker() {}

  static void check(StateContext state) {
    Fields fields = state.fields();
    fields.require("Resource");
    String resource = fields.string("Resource");
    if (resource != null && !resource.startsWith("arn:")) {
      state.findings().error(Findings.INVALID_RESOURCE, "Resource must be a valid ARN: " + resource,
          fields.at("Resource"));
    }
    fields.exclusive("TimeoutSeconds", "TimeoutSecondsPath");
    fields.exclusive("HeartbeatSeconds", "HeartbeatSecondsPath");
    DataFlowChecker.integerOrJsonata(state, "TimeoutSeconds", 1, MAX_SECONDS);
    DataFlowChecker.integerOrJsonata(state, "HeartbeatSeconds", 1, MAX_SECONDS);
    if (!state.isJsonata()) {
      DataFlowChecker.definitePath(fields, "TimeoutSecondsPath");
      DataFlowChecker.definitePath(fields, "HeartbeatSecondsPath");
    }
    JsonNode timeout = fields.get("TimeoutSeconds");
    JsonNode heartbeat = fields.get("HeartbeatSeconds");
    if (timeout != null && heartbeat != null && Fields.isInteger(timeout) && Fields.isInteger(heartbeat)
        && heartbeat.longValue() >= timeout.longValue()) {
      state.findings().schema("HeartbeatSeconds must be smaller than TimeoutSeconds", fields.at("HeartbeatSeconds"));
    }
    if (state.isJsonata()) {
      if (fields.has("Credentials")) {
        DataFlowChecker.jsonataValue(fields.get("Credentials"), fields.at("Credentials"), state.findings());
      }
    } else {
      DataFlowChecker.template(fields, "Credentials");
    }
  }
}
