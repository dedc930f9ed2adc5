package io.stepstream.asl.logging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.history.HistoryEventDetails;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Execution log records in the format Step Functions writes to CloudWatch Logs, one JSON object per
 * logged history event:
 *
 * <pre>
 * {"id":"3","type":"TaskStateEntered","details":{"input":"{}","inputDetails":{"truncated":false},"name":"Charge"},
 *  "previous_event_id":"2","event_timestamp":"1718000000123","execution_arn":"arn:aws:states:...","redrive_count":"0"}
 * </pre>
 *
 * <p>Every value but {@code details} is a string, as AWS writes them; {@code details} is the event's
 * details member as GetExecutionHistory shows it ({@link HistoryEventDetails}), without input and
 * output when the configuration does not include execution data. Events the API does not show
 * (internal ones) are never logged. Stateless and thread-safe.
 */
public final class ExecutionLogRecords {

  private ExecutionLogRecords() {}

  /**
   * The records of the events of one command that the configuration logs, in event order.
   *
   * @param configuration the state machine's logging configuration
   * @param executionArn the execution the events belong to
   * @param redriveCount the execution's redrive count after these events
   * @param events the events, in order
   * @return one JSON text per logged event; empty when logging is off
   */
  public static List<String> records(LoggingConfiguration configuration, String executionArn, int redriveCount,
      List<HistoryEvent> events) {
    if (!configuration.enabled()) {
      return List.of();
    }
    List<String> records = new ArrayList<>();
    for (HistoryEvent event : events) {
      if (event.getId() > 0 && configuration.level().logs(event.getType())) {
        records.add(Json.write(record(event, executionArn, redriveCount, configuration.includeExecutionData())));
      }
    }
    return records;
  }

  static ObjectNode record(HistoryEvent event, String executionArn, int redriveCount, boolean includeExecutionData) {
    ObjectNode record = Json.object()
        .put("id", Long.toString(event.getId()))
        .put("type", event.getType().name());
    ObjectNode details = HistoryEventDetails.toJson(event, includeExecutionData);
    record.set("details", details == null ? Json.object() : details);
    return record.put("previous_event_id", Long.toString(event.getPreviousEventId()))
        .put("event_timestamp", Long.toString(event.getTimestampMs()))
        .put("execution_arn", executionArn)
        .put("redrive_count", Integer.toString(redriveCount));
  }
}
