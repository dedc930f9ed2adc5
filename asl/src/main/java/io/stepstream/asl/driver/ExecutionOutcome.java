package io.stepstream.asl.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import java.util.List;

/**
 * How an execution run by the {@link InMemoryDriver} ended.
 *
 * @param status the terminal status (SUCCEEDED, FAILED, TIMED_OUT or ABORTED)
 * @param output JSON text of the execution's output when it succeeded, else empty
 * @param error the error name when it failed, else empty
 * @param cause the cause text when it failed, else empty
 * @param events every history event the execution emitted, in order, internal ones included
 * @param state the final execution state
 */
public record ExecutionOutcome(
    ExecutionStatus status,
    String output,
    String error,
    String cause,
    List<HistoryEvent> events,
    ExecutionState state) {

  /** The parsed output; JSON null when the execution did not succeed. */
  public JsonNode outputJson() {
    return output.isEmpty() ? Json.NODES.nullNode() : Json.parse(output);
  }
}
