package io.stepstream.loadtest.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * What the harness knows of one named execution: how its start went, and the newest status the
 * read probes saw. Written by the starter and the probes, read by the progress line and the report;
 * thread-safe.
 */
final class TrackedExecution {

  /** How StartExecution went, once it has answered. */
  enum Start {
    /** Not answered yet. */
    PENDING,
    /** 200 from the first gateway asked. */
    STARTED,
    /** The first gateway failed (unreachable, 5xx); 200 from the other. */
    STARTED_ON_RETRY,
    /**
     * The first gateway failed; the other said ExecutionAlreadyExists for the same name and input:
     * the first attempt took effect, and the execution had already ended (AWS answers a same-input
     * start of a running execution with 200, of an ended one with ExecutionAlreadyExists).
     */
    EXISTS_ON_RETRY,
    /** A 4xx other than the above: the start was refused. */
    REFUSED,
    /** Both gateways failed: whether the execution exists is unknown to the caller. */
    FAILED;

    /** Whether the caller may take the execution as started. */
    boolean started() {
      return this == STARTED || this == STARTED_ON_RETRY || this == EXISTS_ON_RETRY;
    }
  }

  final int index;
  final String name;
  final String arn;
  final String input;
  /** The gateway asked first (by index). */
  final int gateway;
  private Start start = Start.PENDING;
  private long startSentMs;
  private long startAnsweredMs;
  private final List<String> startErrors = new ArrayList<>();
  private final List<String> startErrorKinds = new ArrayList<>();
  private String status;
  private long stopDateMs;
  private int statusWentBack;
  private long firstWentBackMs;

  TrackedExecution(int index, String name, String arn, String input, int gateway) {
    this.index = index;
    this.name = name;
    this.arn = arn;
    this.input = input;
    this.gateway = gateway;
  }

  synchronized void startAnswered(Start outcome, long atMs) {
    start = outcome;
    startAnsweredMs = atMs;
  }

  synchronized void startSent(long atMs) {
    startSentMs = atMs;
  }

  /**
   * A failed StartExecution call.
   *
   * @param kind what failed, briefly, for counting: {@code "instance-1: 503 ServiceUnavailable"}
   * @param detail the whole answer
   */
  synchronized void startError(String kind, String detail) {
    startErrorKinds.add(kind);
    startErrors.add(detail);
  }

  synchronized long startSentMs() {
    return startSentMs;
  }

  synchronized List<String> startErrorKinds() {
    return List.copyOf(startErrorKinds);
  }

  synchronized Start start() {
    return start;
  }

  synchronized boolean started() {
    return start.started();
  }

  /**
   * Whether reads should ask for it: it started, or its start failed on both gateways (it may exist
   * all the same; a not-found for it is no false one).
   */
  synchronized boolean probed() {
    return start.started() || start == Start.FAILED;
  }

  synchronized long startAnsweredMs() {
    return startAnsweredMs;
  }

  synchronized List<String> startErrors() {
    return List.copyOf(startErrors);
  }

  /**
   * A status a read answered. An ended execution that is later described as RUNNING again counts as
   * a status that went back (reads should be monotonic); the ended status is kept.
   */
  synchronized void observed(String newStatus, long newStopDateMs) {
    if (status != null && !status.equals("RUNNING") && newStatus.equals("RUNNING")) {
      if (statusWentBack++ == 0) {
        firstWentBackMs = System.currentTimeMillis();
      }
      return;
    }
    status = newStatus;
    if (newStopDateMs > 0) {
      stopDateMs = newStopDateMs;
    }
  }

  /** The newest status seen, or null before any read answered. */
  synchronized String status() {
    return status;
  }

  synchronized boolean ended() {
    return status != null && !status.equals("RUNNING");
  }

  /** When it ended, by the server's clock (DescribeExecution's stopDate), or 0. */
  synchronized long stopDateMs() {
    return stopDateMs;
  }

  synchronized int statusWentBack() {
    return statusWentBack;
  }

  /** When a read first showed RUNNING after an ended status, or 0. */
  synchronized long firstWentBackMs() {
    return firstWentBackMs;
  }
}
