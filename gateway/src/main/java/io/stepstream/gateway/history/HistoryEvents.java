package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.history.HistoryEventDetails;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Requests;
import io.stepstream.proto.HistoryEvent;

/**
 * A history event as the Step Functions API returns it: {@code timestamp} (epoch seconds),
 * {@code type}, {@code id}, {@code previousEventId} and the one details member, rendered by
 * {@link HistoryEventDetails}.
 */
public final class HistoryEvents {

  private HistoryEvents() {}

  /**
   * Renders one event.
   *
   * @param includeExecutionData false to leave out the events' input and output
   */
  public static ObjectNode toJson(HistoryEvent event, boolean includeExecutionData) {
    ObjectNode node = Json.object();
    node.set("timestamp", Requests.timestamp(event.getTimestampMs()));
    node.put("type", event.getType().name());
    node.put("id", event.getId());
    node.put("previousEventId", event.getPreviousEventId());
    ObjectNode details = HistoryEventDetails.toJson(event, includeExecutionData);
    if (details != null) {
      node.set(HistoryEventDetails.name(event), details);
    }
    return node;
  }
}
