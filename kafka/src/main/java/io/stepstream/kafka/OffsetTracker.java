package io.stepstream.kafka;

import java.util.TreeSet;

/**
 * The offsets of one partition that were handed out and are not finished yet, so that the
 * consumer commits only up to the first unfinished one: a task is never skipped when a worker
 * dies, even if later tasks of its partition finished first. Thread-safe.
 */
public final class OffsetTracker {

  private final TreeSet<Long> open = new TreeSet<>();
  private long next = -1;
  private long committed = -1;

  /** Records a record handed out; offsets come in increasing order. */
  public synchronized void started(long offset) {
    open.add(offset);
    next = Math.max(next, offset + 1);
  }

  /** Records a record finished (its result acknowledged). */
  public synchronized void finished(long offset) {
    open.remove(offset);
  }

  /** How many records are handed out and not finished. */
  public synchronized int inFlight() {
    return open.size();
  }

  /**
   * The offset to commit if it is beyond the last commit Kafka acknowledged ({@link #committed}),
   * else -1: the first unfinished offset, or the one after the last handed out when all are
   * finished. A commit that was sent but failed (a rebalance in progress) changes nothing, so the
   * next call offers the offset again; counting it as committed when it was only asked for left a
   * revoked partition's finished tasks uncommitted, and they ran again on the next owner.
   */
  public synchronized long committable() {
    long offset = open.isEmpty() ? next : open.first();
    return offset > committed ? offset : -1;
  }

  /** Kafka acknowledged a commit of {@code offset}. */
  public synchronized void committed(long offset) {
    committed = Math.max(committed, offset);
  }
}
