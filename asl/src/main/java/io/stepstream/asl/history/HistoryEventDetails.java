package io.stepstream.asl.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEvent;
import java.util.List;
import java.util.Set;

/**
 * The details member of a history event as AWS names and shapes it, e.g. {@code
 * stateEnteredEventDetails: {name, input, inputDetails: {truncated}}}: the one rendering behind both
 * GetExecutionHistory and the execution log records.
 *
 * <p>The proto messages of history.proto use AWS's field names, so the JSON names come from the
 * descriptors (lowerCamelCase); internal fields are left out by name. Scalars follow AWS: empty
 * strings are absent, {@code truncated} is always present, and the optional timeouts are absent
 * when zero. Stateless and thread-safe.
 */
public final class HistoryEventDetails {

  /** Fields the engine keeps for itself; the API never shows them. */
  private static final Set<String> INTERNAL_FIELDS = Set.of(
      "stepstream.ExecutionStartedEventDetails.execution_arn",
      "stepstream.ExecutionStartedEventDetails.name",
      "stepstream.ExecutionStartedEventDetails.state_machine_arn",
      "stepstream.ExecutionStartedEventDetails.state_machine_revision",
      "stepstream.ExecutionStartedEventDetails.type",
      "stepstream.ExecutionStartedEventDetails.seed",
      "stepstream.ExecutionStartedEventDetails.trace_header",
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

  private HistoryEventDetails() {}

  /** The JSON name of the event's details member ({@code taskScheduledEventDetails}), or null when it has none the API shows. */
  public static String name(HistoryEvent event) {
    FieldDescriptor details = shown(event);
    return details == null ? null : details.getJsonName();
  }

  /**
   * The event's details, or null when it has none the API shows.
   *
   * @param includeExecutionData false to leave out input and output
   */
  public static ObjectNode toJson(HistoryEvent event, boolean includeExecutionData) {
    FieldDescriptor details = shown(event);
    return details == null ? null : message((Message) event.getField(details), includeExecutionData);
  }

  private static FieldDescriptor shown(HistoryEvent event) {
    FieldDescriptor details = event.getOneofFieldDescriptor(HistoryEvent.getDescriptor().getOneofs().get(0));
    return details != null && details.getNumber() < FIRST_INTERNAL_DETAILS ? details : null;
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
