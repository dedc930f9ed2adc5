package io.stepstream.asl.tracing;

import java.util.Map;

/**
 * One span of an execution's trace, ended. Ids and times are derived from the history, so the same
 * events always give the same span, wherever and however often it is computed.
 *
 * @param traceId 32 lowercase hex digits
 * @param spanId 16 lowercase hex digits
 * @param parentSpanId 16 lowercase hex digits, "" for a root span
 * @param name the span's name ({@code execution OrderFlow}, {@code state Charge}, {@code task Charge})
 * @param kind what the span is
 * @param startMs epoch milliseconds of its start (the event that opened it)
 * @param endMs epoch milliseconds of its end (the event that closed it)
 * @param error whether it ended in an error
 * @param statusMessage the error and cause when it did ("" otherwise)
 * @param attributes string attributes, in a stable order
 */
public record FinishedSpan(String traceId, String spanId, String parentSpanId, String name, Kind kind, long startMs,
    long endMs, boolean error, String statusMessage, Map<String, String> attributes) {

  /** What a span stands for; its OpenTelemetry kind follows from it. */
  public enum Kind {
    /** A run of an execution (SERVER: it serves a StartExecution). */
    EXECUTION,
    /** A state, from its Entered event to its Exited event (INTERNAL). */
    STATE,
    /** A task, from its scheduling to its result (CLIENT: it calls out to a worker, an HTTP server, a child). */
    TASK
  }
}
