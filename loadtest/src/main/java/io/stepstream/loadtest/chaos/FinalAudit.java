package io.stepstream.loadtest.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepstream.loadtest.chaos.ChaosReport.FaultRecord;
import io.stepstream.loadtest.chaos.ChaosReport.SideEffects;
import io.stepstream.loadtest.chaos.HistoryAudit.History;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * After the run: describes every execution once more, reads its history from the event log and from
 * GetExecutionHistory, counts the side effects, and classifies each execution for the report. Uses
 * a client with the SDK's standard retries: the cluster is settled by now, and what is under test
 * here is what the histories hold, not availability.
 */
final class FinalAudit {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SfnClient sfn;
  private final String gateway;
  private final long originMs;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Integer> statuses = new TreeMap<>();
  private final Set<String> succeededOnce = new HashSet<>();
  private final Map<String, HistoryAudit.Stall> stalls = new TreeMap<>();
  private int lost;
  private int duplicated;
  private int otherDefects;
  private int unfinished;
  private int notFoundAtAudit;
  private int failedStartsThatExist;
  private long lastEndMs;

  /**
   * @param sfn a client of a live gateway, with retries
   * @param gateway its name, for the report
   * @param originMs the first start's due time
   */
  FinalAudit(SfnClient sfn, String gateway, long originMs) {
    this.sfn = sfn;
    this.gateway = gateway;
    this.originMs = originMs;
  }

  /** Audits every execution and assembles the report. */
  ChaosReport report(String setup, List<TrackedExecution> executions, Map<String, History> log, ReadProber reads,
      Map<String, Integer> sideEffectCalls, List<FaultRecord> faults, long lastKillMs, Duration recoveryBound,
      Map<String, List<String>> logErrors) {
    Map<String, Integer> starts = new TreeMap<>();
    boolean allEnded = true;
    for (TrackedExecution execution : executions) {
      starts.merge(execution.start().name(), 1, Integer::sum);
      allEnded &= audit(execution, log.getOrDefault(execution.arn, History.NONE));
    }
    for (ReadProber.NotFound answer : reads.notFound()) {
      problems.add("false not-found: " + answer.execution() + " via " + answer.gateway() + " at +"
          + ChaosReport.seconds(answer.sentMs() - originMs) + sinceFault(answer.sentMs(), faults) + ": "
          + answer.message());
    }
    for (TrackedExecution execution : executions) {
      if (execution.statusWentBack() > 0) {
        problems.add("status went back: " + execution.name + " was described RUNNING " + execution.statusWentBack()
            + " times after " + execution.status() + ", first at +"
            + ChaosReport.seconds(execution.firstWentBackMs() - originMs) + sinceFault(execution.firstWentBackMs(), faults));
      }
    }
    int statusWentBack = executions.stream().mapToInt(TrackedExecution::statusWentBack).sum();
    return new ChaosReport(setup, executions.size(), starts, writes(executions), failedStartsThatExist, statuses, succeededOnce.size(), lost,
        duplicated, otherDefects, unfinished, reads.notFound().size() + notFoundAtAudit, reads.answers(), statusWentBack,
        sideEffects(executions, sideEffectCalls), faults, lastKillMs, allEnded ? lastEndMs : -1, recoveryBound,
        problems, longestStalls(), logErrors);
  }

  /** Classifies one execution; returns false if it was started and has not ended. */
  private boolean audit(TrackedExecution execution, History logged) {
    boolean started = execution.started();
    if (!started && logged.types().isEmpty()) {
      if (execution.start() != TrackedExecution.Start.REFUSED) {
        problems.add(execution.name + ": start " + execution.start() + " " + execution.startErrors());
      }
      return true;
    }
    if (!started) {
      failedStartsThatExist++;
    }
    DescribeExecutionResponse described;
    History api;
    try {
      described = sfn.describeExecution(b -> b.executionArn(execution.arn));
      api = HistoryAudit.fromApi(sfn, execution.arn);
    } catch (ExecutionDoesNotExistException e) {
      if (started) {
        notFoundAtAudit++;
        lost++;
        statuses.merge("not found", 1, Integer::sum);
        problems.add(execution.name + ": the final audit through " + gateway + " got ExecutionDoesNotExist ("
            + e.awsErrorDetails().errorMessage() + "); start " + execution.start() + "; the log has " + logged);
      }
      return true;
    }
    HistoryAudit.Stall stall = logged.longestStall();
    if (stall != null) {
      stalls.put(execution.name, stall);
    }
    String status = described.statusAsString();
    if (started) {
      statuses.merge(status, 1, Integer::sum);
    }
    List<String> defects = new ArrayList<>();
    logged.defects().forEach(d -> defects.add("log: " + d));
    api.defects().forEach(d -> defects.add("GetExecutionHistory: " + d));
    if (!sameJson(described.input(), execution.input)) {
      defects.add("input " + described.input() + ", sent " + execution.input);
    }
    if (started && logged.count("ExecutionStarted") == 0) {
      lost++;
    } else if (logged.count("ExecutionStarted") > 1 || logged.terminals().size() > 1 || api.count("ExecutionStarted") > 1
        || api.terminals().size() > 1 || defects.stream().anyMatch(d -> d.contains("event ids repeated"))) {
      duplicated++;
    } else if (!defects.isEmpty()) {
      otherDefects++;
    }
    boolean ended = !status.equals("RUNNING");
    if (!ended && started) {
      unfinished++;
    }
    if (described.stopDate() != null) {
      lastEndMs = Math.max(lastEndMs, described.stopDate().toEpochMilli() - originMs);
    }
    boolean once = status.equals("SUCCEEDED") && defects.isEmpty()
        && logged.terminals().equals(List.of("ExecutionSucceeded")) && api.terminals().equals(List.of("ExecutionSucceeded"));
    if (started && once) {
      succeededOnce.add(execution.name);
    } else {
      problems.add(execution.name + ": start " + execution.start() + startTimes(execution, logged)
          + (execution.startErrors().isEmpty() ? "" : " " + execution.startErrors()) + "; status " + status
          + (described.stopDate() == null ? "" : " at +" + ChaosReport.seconds(described.stopDate().toEpochMilli() - originMs))
          + "; log " + logged + "; GetExecutionHistory " + api + (defects.isEmpty() ? "" : "; " + defects));
    }
    return ended || !started;
  }

  /**
   * The start calls in time: errors by kind, the slowest start answered 200, and the longest time
   * without a 200 between the first send and the last answer (while starts kept being sent or
   * waiting, that is how long writes were stalled).
   */
  private ChaosReport.Writes writes(List<TrackedExecution> executions) {
    Map<String, Integer> errors = new TreeMap<>();
    long slowest = 0;
    long firstSent = Long.MAX_VALUE;
    long lastAnswer = 0;
    List<Long> oks = new ArrayList<>();
    for (TrackedExecution execution : executions) {
      execution.startErrorKinds().forEach(kind -> errors.merge(kind, 1, Integer::sum));
      if (execution.startSentMs() == 0 || execution.startAnsweredMs() == 0) {
        continue;
      }
      firstSent = Math.min(firstSent, execution.startSentMs() - originMs);
      lastAnswer = Math.max(lastAnswer, execution.startAnsweredMs() - originMs);
      if (execution.start() == TrackedExecution.Start.STARTED || execution.start() == TrackedExecution.Start.STARTED_ON_RETRY) {
        oks.add(execution.startAnsweredMs() - originMs);
        slowest = Math.max(slowest, execution.startAnsweredMs() - execution.startSentMs());
      }
    }
    List<Long> anchors = new ArrayList<>();
    anchors.add(firstSent == Long.MAX_VALUE ? 0 : firstSent);
    oks.stream().sorted().forEach(anchors::add);
    if (anchors.getLast() < lastAnswer) {
      anchors.add(lastAnswer);
    }
    long gapFrom = anchors.getFirst();
    long gapTo = anchors.getFirst();
    for (int i = 1; i < anchors.size(); i++) {
      if (anchors.get(i) - anchors.get(i - 1) > gapTo - gapFrom) {
        gapFrom = anchors.get(i - 1);
        gapTo = anchors.get(i);
      }
    }
    return new ChaosReport.Writes(errors, slowest, gapFrom, gapTo);
  }

  /** The five executions that stood still longest (a Wait's own wait left out), and where. */
  private List<String> longestStalls() {
    return stalls.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().ms(), a.getValue().ms())).limit(5)
        .map(e -> e.getKey() + ": " + e.getValue().after() + " -> " + e.getValue().before() + " took "
            + ChaosReport.seconds(e.getValue().ms()) + " (from +" + ChaosReport.seconds(e.getValue().fromMs() - originMs) + ")")
        .toList();
  }

  /**
   * When the start was sent and answered, and the time its ExecutionStarted carries: the gateway's
   * clock when it turned the request into a command (not when the coordinator processed it).
   */
  private String startTimes(TrackedExecution execution, History logged) {
    return " (sent +" + ChaosReport.seconds(execution.startSentMs() - originMs) + ", answered +"
        + ChaosReport.seconds(execution.startAnsweredMs() - originMs)
        + (logged.startedAtMs() == 0 ? "" : ", ExecutionStarted stamped +" + ChaosReport.seconds(logged.startedAtMs() - originMs))
        + ")";
  }

  private SideEffects sideEffects(List<TrackedExecution> executions, Map<String, Integer> calls) {
    Set<String> expected = new HashSet<>();
    for (TrackedExecution execution : executions) {
      if (succeededOnce.contains(execution.name)) {
        ChaosWorkflow.TASKS.forEach(task -> expected.add(ChaosWorkflow.firstAttemptKey(execution.name, task)));
      }
    }
    int missing = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    int repeated = 0;
    for (String key : expected) {
      int count = calls.getOrDefault(key, 0);
      if (count == 0) {
        missing++;
        problems.add("side effect never made: " + key);
      }
      min = Math.min(min, count);
      max = Math.max(max, count);
      if (count > 1) {
        repeated++;
      }
    }
    int other = (int) calls.keySet().stream().filter(key -> !expected.contains(key)).count();
    return new SideEffects(expected.size(), missing, expected.isEmpty() ? 0 : min, max, repeated, other);
  }

  private String sinceFault(long atMs, List<FaultRecord> faults) {
    FaultRecord latest = null;
    for (FaultRecord fault : faults) {
      if (fault.atMs() + originMs <= atMs && (latest == null || fault.atMs() > latest.atMs())) {
        latest = fault;
      }
    }
    return latest == null ? "" : " (" + ChaosReport.seconds(atMs - originMs - latest.atMs()) + " after "
        + latest.fault().action().name().toLowerCase(java.util.Locale.ROOT) + " " + latest.fault().target() + ")";
  }

  private static boolean sameJson(String a, String b) {
    try {
      return a != null && JSON.readTree(a).equals(JSON.readTree(b));
    } catch (IOException e) {
      return false;
    }
  }
}
