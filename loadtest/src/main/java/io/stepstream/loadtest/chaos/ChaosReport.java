package io.stepstream.loadtest.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chaos run measured, and its verdict. Times are milliseconds from the first start.
 *
 * @param setup the run's settings in one line
 * @param planned executions the run meant to start
 * @param starts how each StartExecution ended, by outcome
 * @param writes what the StartExecution calls got, in time
 * @param failedStartsThatExist executions whose start failed on both gateways but that exist all the same
 * @param statuses the final status of each started execution (DescribeExecution after the run)
 * @param succeededOnce started executions that SUCCEEDED, with exactly one ExecutionStarted and one
 *     terminal event (ExecutionSucceeded) in both the event log and GetExecutionHistory
 * @param lost started executions missing from the event log, or not found by the final audit
 * @param duplicated executions with more than one ExecutionStarted or terminal event, or a repeated
 *     event id, in the event log or GetExecutionHistory
 * @param otherDefects executions whose event ids are not 1..n (a gap) or whose input is not what was sent
 * @param unfinished started executions still RUNNING at the end
 * @param falseNotFound ExecutionDoesNotExist answers for executions whose start had answered
 * @param reads DescribeExecution answers per gateway
 * @param statusWentBack reads that showed RUNNING after an ended status had been shown
 * @param sideEffects calls the Tasks made, per idempotency key
 * @param faults what was done when, and how long until reads recovered
 * @param lastKillMs the last kill -9, or -1 when nothing was killed
 * @param lastEndMs when the last started execution ended (its stopDate), or -1 if one has not
 * @param recoveryBound the bound the verdict puts on {@code lastEndMs - lastKillMs}
 * @param problems one line per execution or answer that breaks an invariant, with its evidence
 * @param stalls the executions whose histories stood still longest between two events (a Wait's own
 *     wait left out), and where: evidence of what a fault held up
 * @param logErrors the ERROR lines of each process's log (evidence, not part of the verdict)
 */
public record ChaosReport(String setup, int planned, Map<String, Integer> starts, Writes writes, int failedStartsThatExist,
    Map<String, Integer> statuses, int succeededOnce, int lost, int duplicated, int otherDefects, int unfinished,
    int falseNotFound, Map<String, Map<String, Long>> reads, int statusWentBack, SideEffects sideEffects,
    List<FaultRecord> faults, long lastKillMs, long lastEndMs, Duration recoveryBound, List<String> problems,
    List<String> stalls, Map<String, List<String>> logErrors) {

  /**
   * The StartExecution calls.
   *
   * @param errors failed calls by gateway and kind ({@code "instance-1: 503 ServiceUnavailable"})
   * @param slowestMs the longest a start took to answer 200 (both attempts)
   * @param gapFromMs the start of the longest time without a start answered 200, between the first
   *     send and the last answer: while starts kept coming, how long writes stalled
   * @param gapToMs its end
   */
  public record Writes(Map<String, Integer> errors, long slowestMs, long gapFromMs, long gapToMs) {

    public Writes {
      errors = Map.copyOf(errors);
    }
  }

  /**
   * Side effects per idempotency key.
   *
   * @param expectedKeys first-attempt keys of the Tasks of executions that SUCCEEDED
   * @param missingKeys of those, keys never called: a side effect lost
   * @param minCalls fewest calls of an expected key
   * @param maxCalls most calls of an expected key (above 1: a task delivered again, at least once)
   * @param keysCalledMoreThanOnce expected keys called more than once
   * @param otherKeys keys of no expected task (task retries, executions whose start failed)
   */
  public record SideEffects(int expectedKeys, int missingKeys, int minCalls, int maxCalls, int keysCalledMoreThanOnce,
      int otherKeys) {}

  /**
   * One fault as it happened.
   *
   * @param fault the scheduled fault
   * @param atMs when it was done
   * @param pid the killed process, or the restarted one
   * @param readsRecoveredMs when every execution started before it had been described (200) again; -1 never
   * @param error why it could not be done, or null
   */
  public record FaultRecord(Fault fault, long atMs, long pid, long readsRecoveredMs, String error) {}

  public ChaosReport {
    starts = Map.copyOf(starts);
    statuses = Map.copyOf(statuses);
    reads = Map.copyOf(reads);
    faults = List.copyOf(faults);
    problems = List.copyOf(problems);
    stalls = List.copyOf(stalls);
    logErrors = Map.copyOf(logErrors);
  }

  /** Executions the caller may take as started, each counted once (a start retried on the other gateway too). */
  public int started() {
    return starts.entrySet().stream().filter(e -> TrackedExecution.Start.valueOf(e.getKey()).started())
        .mapToInt(Map.Entry::getValue).sum();
  }

  /**
   * The time from the last kill (from the first start when nothing was killed) until every execution
   * had ended, or null if one has not.
   */
  public Duration lastKillToAllEnded() {
    if (lastEndMs < 0) {
      return null;
    }
    return Duration.ofMillis(Math.max(0, lastEndMs - Math.max(0, lastKillMs)));
  }

  /** Why the run fails the bar; empty when it passes. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>();
    if (started() != planned) {
      failures.add((planned - started()) + " of " + planned + " executions not started");
    }
    if (succeededOnce != planned) {
      failures.add((planned - succeededOnce) + " of " + planned + " executions did not SUCCEED exactly once");
    }
    if (lost > 0) {
      failures.add(lost + " lost");
    }
    if (duplicated > 0) {
      failures.add(duplicated + " duplicated");
    }
    if (otherDefects > 0) {
      failures.add(otherDefects + " with other history defects");
    }
    if (falseNotFound > 0) {
      failures.add(falseNotFound + " false ExecutionDoesNotExist answers");
    }
    if (sideEffects.missingKeys() > 0) {
      failures.add(sideEffects.missingKeys() + " side effects never made");
    }
    Duration recovery = lastKillToAllEnded();
    if (recovery == null) {
      failures.add("not every execution ended");
    } else if (lastKillMs >= 0 && recovery.compareTo(recoveryBound) > 0) {
      failures.add("the last execution ended " + seconds(recovery.toMillis()) + " after the last kill (bound "
          + recoveryBound.toSeconds() + " s)");
    }
    return failures;
  }

  /** The report as printed at the end of a run. */
  public String format() {
    StringBuilder text = new StringBuilder();
    line(text, "==== chaos report: %s", setup);
    line(text, "starts        planned %d, started %d %s", planned, started(), starts);
    if (!writes.errors().isEmpty()) {
      line(text, "              failed calls %s", new TreeMap<>(writes.errors()));
    }
    line(text, "              slowest start answered 200 after %s; longest time without a 200: %s (+%s to +%s)", seconds(writes.slowestMs()), seconds(writes.gapToMs() - writes.gapFromMs()),
        seconds(writes.gapFromMs()), seconds(writes.gapToMs()));
    if (failedStartsThatExist > 0) {
      line(text, "              %d whose start failed on both gateways exist all the same", failedStartsThatExist);
    }
    line(text, "outcomes      SUCCEEDED exactly once %d; final statuses %s", succeededOnce, statuses);
    line(text, "              lost %d, duplicated %d, other history defects %d, unfinished %d", lost, duplicated,
        otherDefects, unfinished);
    line(text, "reads         false ExecutionDoesNotExist %d; statuses that went back %d", falseNotFound, statusWentBack);
    reads.forEach((gateway, answers) -> line(text, "              %s: %s", gateway, answers));
    line(text, "side effects  %d expected keys, %d never called, calls per key min %d max %d, %d keys called more than"
        + " once, %d other keys", sideEffects.expectedKeys(), sideEffects.missingKeys(), sideEffects.minCalls(),
        sideEffects.maxCalls(), sideEffects.keysCalledMoreThanOnce(), sideEffects.otherKeys());
    for (FaultRecord fault : faults) {
      line(text, "fault         %s: done at +%s (pid %d)%s%s", fault.fault(), seconds(fault.atMs()), fault.pid(),
          fault.readsRecoveredMs() < 0 ? ", reads never all recovered"
              : ", every started execution described again " + seconds(fault.readsRecoveredMs() - fault.atMs()) + " later",
          fault.error() == null ? "" : " FAILED: " + fault.error());
    }
    Duration recovery = lastKillToAllEnded();
    line(text, "recovery      last kill at %s; last execution ended %s%s",
        lastKillMs < 0 ? "(none)" : "+" + seconds(lastKillMs),
        lastEndMs < 0 ? "never (some still running)" : "at +" + seconds(lastEndMs),
        recovery == null || lastKillMs < 0 ? "" : ": " + seconds(recovery.toMillis()) + " after the last kill (bound "
            + recoveryBound.toSeconds() + " s)");
    stalls.forEach(stall -> line(text, "longest stall %s", stall));
    int shown = Math.min(problems.size(), 60);
    for (String problem : problems.subList(0, shown)) {
      line(text, "problem       %s", problem);
    }
    if (shown < problems.size()) {
      line(text, "              ... and %d more problems", problems.size() - shown);
    }
    logErrors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
      line(text, "log errors    %s: %d ERROR lines, the first:", entry.getKey(), entry.getValue().size());
      entry.getValue().stream().distinct().limit(3).forEach(error -> line(text, "                %s", error));
    });
    List<String> failures = failures();
    line(text, "verdict       %s", failures.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", failures));
    return text.toString();
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  private static void line(StringBuilder text, String format, Object... args) {
    text.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
  }
}
