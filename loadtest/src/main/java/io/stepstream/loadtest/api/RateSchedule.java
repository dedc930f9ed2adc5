package io.stepstream.loadtest.api;

/**
 * When each request of an open-loop run is due: request {@code i} is due {@code i / rate} seconds
 * after the start, whatever happened to the requests before it. Latency is then measured from the
 * due time, not from the moment the request could be sent, so a stalled server shows up as
 * latency instead of silently lowering the offered load (no coordinated omission).
 *
 * <p>Pure and immutable; times are nanoseconds relative to the start of the run.
 */
public final class RateSchedule {

  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double perSecond;

  private RateSchedule(double perSecond) {
    this.perSecond = perSecond;
  }

  /**
   * A schedule of {@code perSecond} requests per second.
   *
   * @throws IllegalArgumentException unless the rate is positive and finite
   */
  public static RateSchedule perSecond(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a positive number: " + perSecond);
    }
    return new RateSchedule(perSecond);
  }

  /** The target rate, requests per second. */
  public double perSecond() {
    return perSecond;
  }

  /** When request {@code index} (from 0) is due, in nanoseconds after the start. */
  public long dueNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0: " + index);
    }
    return (long) Math.ceil(index * NANOS_PER_SECOND / perSecond);
  }

  /**
   * How many requests are due at {@code elapsedNanos} after the start, counting request 0, which
   * is due at once; 0 before the start.
   */
  public long dueBy(long elapsedNanos) {
    if (elapsedNanos < 0) {
      return 0;
    }
    long count = (long) Math.floor(elapsedNanos * perSecond / NANOS_PER_SECOND) + 1;
    // Floating point may put the boundary one request off; dueNanos is the reference.
    while (count > 0 && dueNanos(count - 1) > elapsedNanos) {
      count--;
    }
    while (dueNanos(count) <= elapsedNanos) {
      count++;
    }
    return count;
  }

  /** How many requests a run of {@code durationNanos} sends: those due strictly before its end. */
  public long total(long durationNanos) {
    return durationNanos <= 0 ? 0 : dueBy(durationNanos - 1);
  }
}
