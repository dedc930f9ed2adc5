package io.stepstream.server.telemetry;

import io.stepstream.asl.tracing.SpanSink;
import io.stepstream.kafka.ExecutionLogDestinations;
import java.net.URI;
import java.util.List;

/**
 * What one process tells the outside about executions: spans to an OTLP collector (when an endpoint
 * is configured) and execution log records to their destinations. Shared by the roles of the
 * process; closed after them.
 */
public final class Observability implements AutoCloseable {

  private final OtlpSpanSink spans;
  private final ExecutionLogDestinations logs;

  private Observability(OtlpSpanSink spans, ExecutionLogDestinations logs) {
    this.spans = spans;
    this.logs = logs;
  }

  /**
   * @param otlpEndpoint the OTLP/HTTP collector, or null for no tracing (no SDK object is created)
   * @param logMappings execution log destinations by log group ({@link ExecutionLogDestinations#parse})
   * @param defaultLogTopic the topic of log groups no mapping names
   * @throws IllegalArgumentException for a malformed mapping
   */
  public static Observability create(URI otlpEndpoint, List<String> logMappings, String defaultLogTopic) {
    ExecutionLogDestinations logs = ExecutionLogDestinations.parse(logMappings, defaultLogTopic);
    return new Observability(otlpEndpoint == null ? null : new OtlpSpanSink(otlpEndpoint, "stepstream"), logs);
  }

  /** Where spans go; null when tracing is off. */
  public SpanSink spans() {
    return spans;
  }

  /** Where execution log records go. */
  public ExecutionLogDestinations logs() {
    return logs;
  }

  /** Sends the spans queued so far (tests, shutdown). */
  public void flush() {
    if (spans != null) {
      spans.flush();
    }
  }

  @Override
  public void close() {
    try {
      if (spans != null) {
        spans.close();
      }
    } finally {
      logs.close();
    }
  }
}
