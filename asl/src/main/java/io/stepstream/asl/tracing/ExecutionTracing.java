package io.stepstream.asl.tracing;

import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.StateMachineRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Traces the executions of state machines whose {@code tracingConfiguration.enabled} is true: hands
 * the spans each command ends ({@link ExecutionSpans}) to a {@link SpanSink}. The configuration is
 * read from the registry for every command, so enabling or disabling tracing takes effect for the
 * running executions at their next command. Thread-safe.
 */
public final class ExecutionTracing {

  private final Function<String, StateMachineRecord> registry;
  private final SpanSink sink;
  /** Whether tracing is enabled, by state machine ARN, valid while the stored configuration text is unchanged. */
  private final Map<String, Cached> enabled = new ConcurrentHashMap<>();

  /**
   * @param registry registry records by key (null when absent)
   * @param sink where ended spans go
   */
  public ExecutionTracing(Function<String, StateMachineRecord> registry, SpanSink sink) {
    this.registry = registry;
    this.sink = sink;
  }

  /** Whether executions of the state machine are traced. */
  public boolean traced(String stateMachineArn) {
    StateMachineRecord record = registry.apply(stateMachineArn);
    if (record == null) {
      return false;
    }
    Cached cached = enabled.get(stateMachineArn);
    if (cached == null || !cached.text().equals(record.getTracingConfiguration())) {
      cached = new Cached(record.getTracingConfiguration(), isEnabled(record.getTracingConfiguration()));
      enabled.put(stateMachineArn, cached);
    }
    return cached.enabled();
  }

  /**
   * Emits the spans that one command of a traced execution ended.
   *
   * @param before the execution before the command
   * @param after the execution after it
   * @param events the command's events
   * @param commandTimeMs the command's time
   */
  public void observe(ExecutionState before, ExecutionState after, List<HistoryEvent> events, long commandTimeMs) {
    if (events.isEmpty() || !traced(after.getStateMachineArn())) {
      return;
    }
    List<FinishedSpan> spans = ExecutionSpans.finished(before, events, commandTimeMs);
    if (!spans.isEmpty()) {
      sink.accept(spans);
    }
  }

  /**
   * The traceparent of each task a traced execution waits on, by task token (empty when the
   * execution is not traced).
   */
  public Map<String, String> taskTraceparents(ExecutionState state) {
    return traced(state.getStateMachineArn()) ? ExecutionSpans.taskTraceparents(state) : Map.of();
  }

  /** Whether a stored {@code tracingConfiguration} (JSON text, "" for none) enables tracing. */
  public static boolean isEnabled(String tracingConfiguration) {
    return !tracingConfiguration.isEmpty() && Json.parse(tracingConfiguration).path("enabled").asBoolean(false);
  }

  private record Cached(String text, boolean enabled) {}
}
