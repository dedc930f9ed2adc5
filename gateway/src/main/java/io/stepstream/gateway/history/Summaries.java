package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.execution.RedriveActions;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;

/** Execution summaries as DescribeExecution and ListExecutions return them. */
final class Summaries {

  private Summaries() {}

  /** DescribeExecution's response; redrivability is judged at {@code nowMs}, as RedriveExecution judges it. */
  static ObjectNode describe(ExecutionSummary summary, long nowMs) {
    ObjectNode response = Json.object()
        .put("executionArn", summary.getExecutionArn())
        .put("stateMachineArn", summary.getStateMachineArn())
        .put("name", summary.getName())
        .put("status", summary.getStatus().name());
    response.set("startDate", Requests.timestamp(summary.getStartTimeMs()));
    if (summary.getStatus() != ExecutionStatus.RUNNING && summary.getStopTimeMs() > 0) {
      response.set("stopDate", Requests.timestamp(summary.getStopTimeMs()));
    }
    if (summary.getStartedLogged()) {
      response.put("input", summary.getInput());
      response.set("inputDetails", Json.object().put("included", true));
    }
    if (summary.getStatus() == ExecutionStatus.SUCCEEDED) {
      response.put("output", summary.getOutput());
      response.set("outputDetails", Json.object().put("included", true));
    }
    putIfNotEmpty(response, "error", summary.getError());
    putIfNotEmpty(response, "cause", summary.getCause());
    putIfNotEmpty(response, "stateMachineVersionArn", summary.getStateMachineVersionArn());
    putIfNotEmpty(response, "stateMachineAliasArn", summary.getStateMachineAliasArn());
    putIfNotEmpty(response, "mapRunArn", summary.getMapRunArn());
    RedriveActions.describeRedrive(response, ExecutionState.newBuilder().setType(summary.getType())
        .setStatus(summary.getStatus()).setStartTimeMs(summary.getStartTimeMs()).setStopTimeMs(summary.getStopTimeMs())
        .setLastEventId(summary.getLastEventId()).setRedriveCount(summary.getRedriveCount())
        .setRedriveTimeMs(summary.getRedriveTimeMs()).build(), nowMs);
    if (!summary.getMapRunArn().isEmpty() && "REDRIVABLE".equals(response.path("redriveStatus").asText())) {
      // A Distributed Map's child is run again by redriving its parent (its map run), as on AWS.
      response.put("redriveStatus", "REDRIVABLE_BY_MAP_RUN");
    }
    return response;
  }

  /** One ListExecutions item. */
  static ObjectNode listItem(ExecutionSummary summary) {
    ObjectNode item = Json.object()
        .put("executionArn", summary.getExecutionArn())
        .put("stateMachineArn", summary.getStateMachineArn())
        .put("name", summary.getName())
        .put("status", summary.getStatus().name());
    item.set("startDate", Requests.timestamp(summary.getStartTimeMs()));
    if (summary.getStatus() != ExecutionStatus.RUNNING && summary.getStopTimeMs() > 0) {
      item.set("stopDate", Requests.timestamp(summary.getStopTimeMs()));
    }
    if (summary.getRedriveCount() > 0) {
      item.put("redriveCount", summary.getRedriveCount());
      item.set("redriveDate", Requests.timestamp(summary.getRedriveTimeMs()));
    }
    putIfNotEmpty(item, "stateMachineVersionArn", summary.getStateMachineVersionArn());
    putIfNotEmpty(item, "stateMachineAliasArn", summary.getStateMachineAliasArn());
    return item;
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }
}
