package io.stepstream.asl.tracing;

import java.util.List;

/**
 * Where ended spans go (an OTLP exporter). Called on the thread that processed the events (a stream
 * thread, an event loop): implementations must return at once, queueing or dropping, never
 * blocking on the network. Thread-safe.
 */
@FunctionalInterface
public interface SpanSink {

  /** Takes ended spans; may drop them when its queue is full. */
  void accept(List<FinishedSpan> spans);
}
