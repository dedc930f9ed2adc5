package io.stepstream.coordinator;

import io.stepstream.asl.tracing.SpanSink;
import io.stepstream.kafka.ExecutionLogDestinations;

/**
 * What the coordinator tells the outside about executions besides their history: trace spans and
 * execution log records.
 *
 * @param spans where the spans of traced executions go; null when tracing is off (no OTLP endpoint):
 *     then nothing is computed for it
 * @param logs where execution log records go by log group; null to write none (tests)
 */
public record ExecutionTelemetry(SpanSink spans, ExecutionLogDestinations logs) {

  /** Neither spans nor log records. */
  public static ExecutionTelemetry none() {
    return new ExecutionTelemetry(null, null);
  }
}
