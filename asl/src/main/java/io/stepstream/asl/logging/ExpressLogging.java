package io.stepstream.asl.logging;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.StateMachineRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which events of an EXPRESS execution reach the EXPRESS events topic, as the state machine's
 * {@code loggingConfiguration.level} decides on AWS (where they go to CloudWatch Logs):
 *
 * <ul>
 *   <li>{@code OFF} (or no configuration): none; EXPRESS keeps no history, as on AWS.
 *   <li>{@code ALL}: every event, internal ones included (a replay needs them).
 *   <li>{@code ERROR}: the error events only (types ending in Failed, TimedOut or Aborted).
 *   <li>{@code FATAL}: the execution's own end when it failed, timed out or was aborted.
 * </ul>
 *
 * <p>Filtering is per event, as a log level is: the coordinator cannot know when an execution
 * starts whether it will fail, and keeps nothing back to find out. So ERROR and FATAL histories hold
 * only those events (no ExecutionStarted). {@code includeExecutionData} is not applied: events keep
 * their input and output. Thread-safe.
 */
public final class ExpressLogging {

  private static final Set<HistoryEventType> FATAL = Set.of(HistoryEventType.ExecutionFailed,
      HistoryEventType.ExecutionTimedOut, HistoryEventType.ExecutionAborted);

  /** The levels, from most to least logged. */
  enum Level { ALL, ERROR, FATAL, OFF }

  private final Function<String, StateMachineRecord> registry;
  /** Parsed levels by state machine ARN, valid while the record's revision id is unchanged. */
  private final Map<String, Cached> levels = new java.util.concurrent.ConcurrentHashMap<>();

  /** @param registry registry records by key (null when absent) */
  public ExpressLogging(Function<String, StateMachineRecord> registry) {
    this.registry = registry;
  }

  /** The events of one command of an EXPRESS execution of {@code stateMachineArn} that are logged. */
  public List<HistoryEvent> logged(String stateMachineArn, List<HistoryEvent> events) {
    Level level = level(stateMachineArn);
    return switch (level) {
      case OFF -> List.of();
      case ALL -> events;
      case ERROR -> filter(events, event -> isError(event.getType()));
      case FATAL -> filter(events, event -> FATAL.contains(event.getType()));
    };
  }

  private Level level(String stateMachineArn) {
    StateMachineRecord record = registry.apply(stateMachineArn);
    if (record == null) {
      return Level.OFF;
    }
    Cached cached = levels.get(stateMachineArn);
    if (cached == null || !cached.revisionId().equals(record.getRevisionId())
        || !cached.configuration().equals(record.getLoggingConfiguration())) {
      cached = new Cached(record.getRevisionId(), record.getLoggingConfiguration(),
          parse(record.getLoggingConfiguration()));
      levels.put(stateMachineArn, cached);
    }
    return cached.level();
  }

  static Level parse(String configuration) {
    if (configuration.isEmpty()) {
      return Level.OFF;
    }
    JsonNode level = Json.parse(configuration).path("level");
    try {
      return level.isTextual() ? Level.valueOf(level.textValue().toUpperCase(Locale.ROOT)) : Level.OFF;
    } catch (IllegalArgumentException e) {
      return Level.OFF;
    }
  }

  private static boolean isError(HistoryEventType type) {
    String name = type.name();
    return type.getNumber() < HistoryEventType.RetryScheduled_VALUE
        && (name.endsWith("Failed") || name.endsWith("TimedOut") || name.endsWith("Aborted"));
  }

  private static List<HistoryEvent> filter(List<HistoryEvent> events, java.util.function.Predicate<HistoryEvent> keep) {
    List<HistoryEvent> kept = new ArrayList<>();
    for (HistoryEvent event : events) {
      if (keep.test(event)) {
        kept.add(event);
      }
    }
    return kept;
  }

  private record Cached(String revisionId, String configuration, Level level) {}
}
