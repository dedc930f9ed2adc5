package io.stepstream.loadtest.api;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and latencies of one run, recorded from any thread (HTTP event loop, Kafka consumer).
 * An execution belongs to the measurement window when it was due (or, in max mode, sent) within
 * it; what is due during the warmup only shows in the progress lines.
 */
final class Measurements {

  /** Latencies above an hour are clamped; nothing sane takes that long. */
  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  private final long windowStartNanos;
  private final long windowEndNanos;
  private final Recorder interval = new Recorder(HIGHEST_MICROS, 3);
  private final Recorder window = new Recorder(HIGHEST_MICROS, 3);
  private final LongAdder intervalCompleted = new LongAdder();
  private final LongAdder intervalErrors = new LongAdder();
  private final LongAdder windowStarted = new LongAdder();
  private final LongAdder windowCompleted = new LongAdder();
  private final LongAdder windowErrors = new LongAdder();

  Measurements(long windowStartNanos, long windowEndNanos) {
    this.windowStartNanos = windowStartNanos;
    this.windowEndNanos = windowEndNanos;
  }

  long windowStartNanos() {
    return windowStartNanos;
  }

  long windowEndNanos() {
    return windowEndNanos;
  }

  /** Notes that an execution due at {@code dueNanos} was handed to the client. */
  void started(long dueNanos) {
    if (inWindow(dueNanos)) {
      windowStarted.increment();
    }
  }

  /** Records an execution that succeeded at {@code nowNanos}. */
  void succeeded(long dueNanos, long nowNanos) {
    long micros = Math.min(HIGHEST_MICROS, Math.max(0, (nowNanos - dueNanos) / 1_000));
    interval.recordValue(micros);
    intervalCompleted.increment();
    if (inWindow(dueNanos)) {
      window.recordValue(micros);
      windowCompleted.increment();
    }
  }

  /** Records a failed request or execution. */
  void failed(long dueNanos) {
    intervalErrors.increment();
    if (inWindow(dueNanos)) {
      windowErrors.increment();
    }
  }

  /** The latencies since the previous call (progress lines). */
  Histogram intervalLatencies() {
    return interval.getIntervalHistogram();
  }

  long takeIntervalCompleted() {
    return intervalCompleted.sumThenReset();
  }

  long takeIntervalErrors() {
    return intervalErrors.sumThenReset();
  }

  /** Every latency of the window; call once, at the end. */
  Histogram windowLatencies() {
    return window.getIntervalHistogram();
  }

  long windowStarted() {
    return windowStarted.sum();
  }

  long windowCompleted() {
    return windowCompleted.sum();
  }

  long windowErrors() {
    return windowErrors.sum();
  }

  private boolean inWindow(long dueNanos) {
    return dueNanos - windowStartNanos >= 0 && dueNanos - windowEndNanos < 0;
  }
}
