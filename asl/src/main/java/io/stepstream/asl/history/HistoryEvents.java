package io.stepstream.asl.history;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEvent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * A history event as the Step Functions API returns it: {@code timestamp} (epoch seconds),
 * {@code type}, {@code id}, {@code previousEventId} and the one details member, named and shaped as
 * AWS names it ({@code stateEnteredEventDetails: {name, input, inputDetails: {truncated}}}).
 *
 * <p>The proto messages of history.proto use AWS's field names, so the JSON names come from the
 * descriptors (lowerCamelCase); internal fields are left out by name. Scalars follow AWS: empty
 * strings are absent, {@code truncated} is always present, and the optional timeouts are absent
 * when zero.
 */
public final class HistoryEvents {

  /** Fields the engine keeps for itself; the API never shows them. */
  private static final Set<String> INTERNAL_FIELDS = Set.of(
      "stepstream.ExecutionStartedEventDetails.execution_arn",
      "stepstream.ExecutionStartedEventDetails.name",
      "stepstream.ExecutionStartedEventDetails.state_machine_arn",
      "stepstream.ExecutionStartedEventDetails.state_machine_revision",
      "stepstream.ExecutionStartedEventDetails.type",
      "stepstream.ExecutionStartedEventDetails.seed",
      "stepstream.StateExitedEventDetails.next",
      "stepstream.MapStateStartedEventDetails.items",
      "stepstream.MapStateStartedEventDetails.max_concurrency",
      "stepstream.TaskScheduledEventDetails.task_token",
      "stepstream.ActivityScheduledEventDetails.task_token",
      "stepstream.LambdaFunctionScheduledEventDetails.task_token",
      "stepstream.LambdaFunctionScheduledEventDetails.heartbeat_in_seconds");

  /** Integer fields AWS leaves out when not set. */
  private static final Set<String> OPTIONAL_NUMBERS = Set.of("timeout_in_seconds", "heartbeat_in_seconds");

  /** Execution data, left out when the caller asks for {@code includeExecutionData: false}. */
  private static final Set<String> EXECUTION_DATA = Set.of("input", "output");

  /** Detail numbers from here on are internal (retry scheduling, fired timers). */
  private static final int FIRST_INTERNAL_DETAILS = 100;

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
    FieldDescriptor details = event.getOneofFieldDescriptor(
        HistoryEvent.getDescriptor().getOneofs().get(0));
    if (details != null && details.getNumber() < FIRST_INTERNAL_DETAILS) {
      node.set(details.getJsonName(), message((Message) event.getField(details), includeExecutionData));
    }
    return node;
  }

  private static ObjectNode message(Message message, boolean includeExecutionData) {
    ObjectNode node = Json.object();
    for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
      if (INTERNAL_FIELDS.contains(field.getFullName())
          || !includeExecutionData && EXECUTION_DATA.contains(field.getName())) {
        continue;
      }
      String name = field.getJsonName();
      if (field.isMapField()) {
        @SuppressWarnings("unchecked")
        List<Message> entries = (List<Message>) message.getField(field);
        if (!entries.isEmpty()) {
          ObjectNode map = node.putObject(name);
          for (Message entry : entries) {
            FieldDescriptor key = entry.getDescriptorForType().findFieldByName("key");
            FieldDescriptor value = entry.getDescriptorForType().findFieldByName("value");
            map.put((String) entry.getField(key), (String) entry.getField(value));
          }
        }
        continue;
      }
      switch (field.getJavaType()) {
        case MESSAGE -> {
          if (message.hasField(field)) {
            node.set(name, message((Message) message.getField(field), includeExecutionData));
          }
        }
        case STRING -> {
          String value = (String) message.getField(field);
          if (!value.isEmpty()) {
            node.put(name, value);
          }
        }
        case BOOLEAN -> node.put(name, (Boolean) message.getField(field));
        case INT, LONG -> {
          long value = ((Number) message.getField(field)).longValue();
          if (value != 0 || !OPTIONAL_NUMBERS.contains(field.getName())) {
            node.put(name, value);
          }
        }
        default -> throw new IllegalStateException("unexpected field type in history details: " + field.getFullName());
      }
    }
    return node;
  }
}
