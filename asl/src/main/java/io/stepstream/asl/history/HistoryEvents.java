package io.stepstream.asl.history;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEvent;
import java.math.BigDecimal;

/**
 * A history event as the Step Functions API returns it (GetExecutionHistory, TestState's and the
 * testing kit's histories): {@code timestamp} (epoch seconds), {@code type}, {@code id},
 * {@code previousEventId} and the one details member, rendered by {@link HistoryEventDetails} (which
 * the execution logs use too).
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
    // Epoch seconds with millisecond decimals, as the API writes every timestamp.
    node.set("timestamp", DecimalNode.valueOf(BigDecimal.valueOf(event.getTimestampMs(), 3)));
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
