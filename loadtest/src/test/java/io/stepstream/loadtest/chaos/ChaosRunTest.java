package io.stepstream.loadtest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reduced chaos run: 3 KRaft brokers and 2 Stepstream instances as processes, 60 named STANDARD
 * executions started through both gateways over 20 s while one instance (at +5 s) and then one
 * broker (at +10 s) are killed with kill -9. What must hold whatever the machine's speed is asserted:
 * every start the client sent took effect (answered 200, or answered an error and exists all the
 * same), every execution that exists SUCCEEDED exactly once (one ExecutionStarted, one terminal
 * event, event ids 1..n, in the event log and in GetExecutionHistory) and ended before the deadline,
 * no read denied an execution whose start had answered, and every Task's side effect happened. A
 * start that fails on one gateway is tried once on the other, as the issue allows; nothing else is
 * retried.
 *
 * <p>The bar on time (every start answered within the client's timeout, every execution ended
 * within 90 s of the last kill) is printed as the report's verdict, not asserted: it measures how fast
 * failover is on the machine at hand (the project measures speed in {@code loadtest/}, not in timed
 * assertions), and {@code loadtest/run-chaos.sh} runs it in full (docs/benchmarks.md).
 *
 * <p>Processes run from this test's class path (Stepstream's server and Kafka's broker); their logs
 * stay in {@code loadtest/target/chaos-*} (the brokers' data and the instances' state are deleted).
 */
class ChaosRunTest {

  @Test
  void shouldFinishEveryExecutionExactlyOnceWhileAnInstanceAndABrokerAreKilled() throws Exception {
    // 3 starts/s: what this cluster of five processes answers on a busy 2-core machine without faults.
    ChaosSettings settings = new ChaosSettings(60, 3, 3, 10, 3, 2, 0, 4,
        List.of(Fault.parse(Fault.Action.KILL, "instance-2@5s"), Fault.parse(Fault.Action.KILL, "broker-3@10s")),
        Duration.ofSeconds(90), Duration.ofSeconds(150), 12,
        Path.of("target", "chaos-" + System.currentTimeMillis()).toAbsolutePath(),
        new ChaosSettings.Launcher(ProcessHandle.current().info().command().orElse("java"), serverClassPath(), List.of()));

    ChaosReport report;
    try {
      report = Chaos.run(settings, System.out);
    } finally {
      keepOnlyLogs(settings.workDir());
    }
    System.out.println(report.format());

    String evidence = report.format();
    assertThat(report.started() + report.failedStartsThatExist()).as("every start took effect\n" + evidence)
        .isEqualTo(60);
    assertThat(report.succeededOnce()).as("every started execution SUCCEEDED exactly once\n" + evidence)
        .isEqualTo(report.started());
    assertThat(report.lost()).as(evidence).isZero();
    assertThat(report.duplicated()).as(evidence).isZero();
    assertThat(report.otherDefects()).as(evidence).isZero();
    assertThat(report.unfinished()).as(evidence).isZero();
    assertThat(report.falseNotFound()).as(evidence).isZero();
    assertThat(report.sideEffects().missingKeys()).as(evidence).isZero();
  }

  /** Deletes the brokers' data and the instances' state (hundreds of MB); keeps logs and configs. */
  private static void keepOnlyLogs(Path workDir) throws IOException {
    if (!Files.isDirectory(workDir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(workDir)) {
      List<Path> bulky = tree.filter(p -> Files.isDirectory(p) && !p.getParent().equals(workDir)
          && p.getParent().getParent().equals(workDir) && Set.of("data", "state").contains(p.getFileName().toString()))
          .toList();
      for (Path dir : bulky) {
        try (Stream<Path> inside = Files.walk(dir)) {
          for (Path path : inside.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
    }
  }

  /** This test's class path without the load generator's own classes (their logging setup is not the server's). */
  private static String serverClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("loadtest" + File.separator + "target"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
