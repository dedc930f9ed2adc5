package io.stepstream.loadtest.api;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Feeds executions to a {@link Workload} from one thread: either open-loop on a
 * {@link RateSchedule} (sending never waits for answers) or, in max mode, as fast as a cap on
 * executions in flight allows. Counts executions in flight; {@link #finished()} is the callback
 * every workload calls once per execution.
 */
final class LoadDriver {

  private final AtomicLong inFlight = new AtomicLong();
  private final Semaphore permits;

  /**
   * @param maxInFlight the cap on executions in flight for max mode, or 0 for open loop
   */
  LoadDriver(int maxInFlight) {
    this.permits = maxInFlight > 0 ? new Semaphore(maxInFlight) : null;
  }

  /** Called once for each finished execution, from any thread. */
  void finished() {
    inFlight.decrementAndGet();
    if (permits != null) {
      permits.release();
    }
  }

  /** Executions started and not finished. */
  long inFlight() {
    return inFlight.get();
  }

  /**
   * Starts executions on schedule from {@code startNanos} for {@code lengthNanos}: request
   * {@code i} is started as soon as it is due, late ones at once, whatever the server answers.
   *
   * @return how many were started
   */
  long openLoop(Workload workload, RateSchedule schedule, long startNanos, long lengthNanos) {
    long total = schedule.total(lengthNanos);
    long next = 0;
    while (next < total) {
      long due = Math.min(total, schedule.dueBy(System.nanoTime() - startNanos));
      for (; next < due; next++) {
        inFlight.incrementAndGet();
        workload.start(next, startNanos + schedule.dueNanos(next), this::finished);
      }
      if (next < total) {
        long wait = startNanos + schedule.dueNanos(next) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }
    return total;
  }

  /**
   * Starts executions as fast as the cap on executions in flight allows until {@code endNanos}.
   * Latency then runs from the moment each one was started.
   *
   * @return how many were started
   */
  long max(Workload workload, long endNanos) throws InterruptedException {
    if (permits == null) {
      throw new IllegalStateException("max mode needs a cap on executions in flight");
    }
    long next = 0;
    while (System.nanoTime() - endNanos < 0) {
      if (permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        inFlight.incrementAndGet();
        workload.start(next++, System.nanoTime(), this::finished);
      }
    }
    return next;
  }

  /**
   * Waits until every started execution finished or {@code timeoutNanos} passed.
   *
   * @return true when none is in flight
   */
  boolean drain(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (inFlight.get() > 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
