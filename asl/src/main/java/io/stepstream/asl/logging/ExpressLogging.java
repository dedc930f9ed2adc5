package io.stepstream.asl.logging;

import io.stepstream.proto.Command;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.StateMachineRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The state machines' {@link LoggingConfiguration}s, read from the registry and parsed once per
 * revision, and which events of an EXPRESS execution reach the EXPRESS events topic, as the state
 * machine's {@code loggingConfiguration.level} decides on AWS (where they go to CloudWatch Logs):
 *
 * <ul>
 *   <li>{@code OFF} (or no configuration): none; EXPRESS keeps no history, as on AWS.
 *   <li>{@code ALL}: every event, internal ones included (a replay needs them).
 *   <li>{@code ERROR}: the error events only ({@link LoggingConfiguration.Level#ERROR}).
 *   <li>{@code FATAL}: the execution's own end when it failed, timed out or was aborted.
 * </ul>
 *
 * <p>Filtering is per event, as a log level is: the coordinator cannot know when an execution
 * starts whether it will fail, and keeps nothing back to find out. So ERROR and FATAL histories hold
 * only those events (no ExecutionStarted). {@code includeExecutionData} is not applied here: events
 * on the topic keep their input and output (the execution log records leave them out,
 * {@link ExecutionLogRecords}). Thread-safe.
 */
public final class ExpressLogging {

  private final Function<String, StateMachineRecord> registry;
  /** Parsed configurations by state machine ARN, valid while the record's revision id is unchanged. */
  private final Map<String, Cached> configurations = new ConcurrentHashMap<>();

  /** @param registry registry records by key (null when absent) */
  public ExpressLogging(Function<String, StateMachineRecord> registry) {
    this.registry = registry;
  }

  /**
   * What one command of an EXPRESS execution of {@code stateMachineArn} writes to the EXPRESS events
   * topic: the events its logging level keeps and, when {@code summarized}, the execution-level
   * events (started, ended, redriven) that the level leaves out, as summary events: the projector
   * folds those into the execution's summary, so that DescribeExecution and ListExecutions know the
   * execution, but shows none of them in its history.
   *
   * @param summarized false for an execution that is not to be known afterwards (a
   *     StartSyncExecution's, whose caller gets the whole outcome in the response)
   * @return the batch, with the command when it holds events; empty (no events, no summary
   *     events) when there is nothing to write
   */
  public HistoryEventBatch.Builder batch(Command command, String stateMachineArn, List<HistoryEvent> events,
      boolean summarized) {
    LoggingConfiguration.Level level = configuration(stateMachineArn).level();
    HistoryEventBatch.Builder batch = HistoryEventBatch.newBuilder();
    for (HistoryEvent event : events) {
      if (level.logs(event.getType())) {
        batch.addEvents(event);
      } else if (summarized && isExecutionLevel(event.getType())) {
        batch.addSummaryEvents(event);
      }
    }
    if (batch.getEventsCount() > 0) {
      // The command is there for a replay of the logged events; summary events alone are never
      // replayed, and the command would only repeat the execution's input they already carry.
      batch.setCommand(command);
    }
    return batch;
  }

  private static boolean isExecutionLevel(HistoryEventType type) {
    return switch (type) {
      case ExecutionStarted, ExecutionSucceeded, ExecutionFailed, ExecutionAborted, ExecutionTimedOut,
          ExecutionRedriven -> true;
      default -> false;
    };
  }

  /** The logging configuration of a state machine; {@link LoggingConfiguration#OFF} when it is unknown. */
  public LoggingConfiguration configuration(String stateMachineArn) {
    StateMachineRecord record = registry.apply(stateMachineArn);
    if (record == null) {
      return LoggingConfiguration.OFF;
    }
    Cached cached = configurations.get(stateMachineArn);
    if (cached == null || !cached.revisionId().equals(record.getRevisionId())
        || !cached.text().equals(record.getLoggingConfiguration())) {
      cached = new Cached(record.getRevisionId(), record.getLoggingConfiguration(),
          LoggingConfiguration.parse(record.getLoggingConfiguration()));
      configurations.put(stateMachineArn, cached);
    }
    return cached.configuration();
  }

  private record Cached(String revisionId, String text, LoggingConfiguration configuration) {}
}
