package io.stepstream.gateway.throttle;

import java.util.concurrent.Semaphore;

/**
 * A bound on the writes of one gateway that await their owner's answer: when the coordinators lag,
 * answers slow down and writes pile up in memory; beyond the bound a write is refused before it is
 * sent, so the gateway sheds load instead of growing a queue whose callers would time out anyway.
 *
 * <p>Thread-safe and non-blocking.
 */
public final class PendingWrites {

  private final int limit;
  private final Semaphore permits;

  /** @param limit how many writes may be pending at once, at least 1 */
  public PendingWrites(int limit) {
    this.limit = limit;
    this.permits = new Semaphore(limit);
  }

  /** Takes a place for a write; false (and nothing taken) when the bound is reached. */
  public boolean tryAcquire() {
    return permits.tryAcquire();
  }

  /** Gives back the place of a write that has its answer (or failed). */
  public void release() {
    permits.release();
  }

  /** The writes pending now. */
  public int pending() {
    return limit - permits.availablePermits();
  }

  /** The bound. */
  public int limit() {
    return limit;
  }
}
