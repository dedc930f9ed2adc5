package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.gateway.api.Arns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;

/**
 * {@code stepstream projector rebuild}: thousands of executions through dev mode, then the projection
 * is thrown away (offsets, changelogs, local state) and rebuilt from the events topics at offset 0;
 * every execution's history, description and the listings answer exactly as before.
 */
class ProjectorRebuildTest {

  private static final int EXECUTIONS = 2_000;
  private static final String WORKFLOW = """
      {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1500, "Next": "F"}],
          "Default": "S"},
        "S": {"Type": "Succeed"}, "F": {"Type": "Fail", "Error": "TooBig", "Cause": "n > 1500"}}}""";

  @TempDir
  Path dataDir;

  private record Answers(Map<String, List<HistoryEvent>> histories, Map<String, DescribeExecutionResponse> described,
      List<ExecutionListItem> listed, List<ExecutionListItem> failed) {}

  @Test
  void shouldAnswerExactlyAsBeforeAfterARebuildFromOffsetZero() throws Exception {
    List<String> executions = new ArrayList<>();
    String machine;
    Answers live;
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint())) {
      machine = HistorySfnClientTest.create(sfn, "rebuild", WORKFLOW);
      String target = machine;
      executions.addAll(parallel(rangeOf(EXECUTIONS), n -> sfn.startExecution(b -> b.stateMachineArn(target)
          .name("e" + n).input("{\"n\": " + n + "}")).executionArn()));
      awaitProjected(sfn, machine);
      live = answers(sfn, machine, executions);
    }

    int status = new CommandLine(new StepstreamCommand()).execute("projector", "rebuild", "--data-dir",
        dataDir.toString());
    assertThat(status).isZero();
    assertThat(dataDir.resolve("state").resolve("projector")).doesNotExist();

    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint())) {
      awaitProjected(sfn, machine);
      Answers rebuilt = answers(sfn, machine, executions);

      assertThat(live.listed()).hasSize(EXECUTIONS);
      assertThat(live.failed()).hasSize(EXECUTIONS - 1501);
      assertThat(rebuilt.listed()).isEqualTo(live.listed());
      assertThat(rebuilt.failed()).isEqualTo(live.failed());
      assertThat(differences(live.described(), rebuilt.described())).isEmpty();
      assertThat(differences(live.histories(), rebuilt.histories())).isEmpty();
      assertThat(live.histories().values()).allSatisfy(history -> assertThat(history.size()).as("Succeed: 8 events, Fail: 7").isIn(7, 8));
    }
    assertThat(Files.isDirectory(dataDir.resolve("state").resolve("projector"))).isTrue();
  }

  /** The executions whose answers differ (at most 3, with both answers), to keep a failure readable. */
  private static <V> List<String> differences(Map<String, V> live, Map<String, V> rebuilt) {
    assertThat(rebuilt.keySet()).isEqualTo(live.keySet());
    return live.keySet().stream().filter(arn -> !same(live.get(arn), rebuilt.get(arn))).limit(3)
        .map(arn -> arn + ": live " + reveal(live.get(arn)) + " rebuilt " + reveal(rebuilt.get(arn))).toList();
  }

  /** Equal answers; responses compare by their fields only (each carries its own request id). */
  private static boolean same(Object live, Object rebuilt) {
    return live instanceof DescribeExecutionResponse d ? d.equalsBySdkFields(rebuilt) : live.equals(rebuilt);
  }

  /** The SDK redacts payloads in toString; a failure should show them. */
  private static String reveal(Object answer) {
    if (answer instanceof DescribeExecutionResponse d) {
      return d + " input=" + d.input() + " output=" + d.output() + " error=" + d.error() + " cause=" + d.cause()
          + " reason=" + d.redriveStatusReason();
    }
    return String.valueOf(answer);
  }

  /** Waits until the projection lists every execution and none runs (listings come from the projector only). */
  private static void awaitProjected(SfnClient sfn, String machine) {
    ExecutionsSfnClientTest.waitFor(() -> list(sfn, machine, null).size() == EXECUTIONS
        && list(sfn, machine, ExecutionStatus.RUNNING).isEmpty() ? true : null, "the projection of every execution");
  }

  private static Answers answers(SfnClient sfn, String machine, List<String> executions) throws Exception {
    Map<String, List<HistoryEvent>> histories = new ConcurrentHashMap<>();
    Map<String, DescribeExecutionResponse> described = new ConcurrentHashMap<>();
    parallel(executions, arn -> {
      histories.put(arn, sfn.getExecutionHistory(b -> b.executionArn(arn)).events());
      described.put(arn, sfn.describeExecution(b -> b.executionArn(arn)));
      return arn;
    });
    return new Answers(histories, described, list(sfn, machine, null), list(sfn, machine, ExecutionStatus.FAILED));
  }

  private static List<ExecutionListItem> list(SfnClient sfn, String machine, ExecutionStatus status) {
    List<ExecutionListItem> items = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListExecutionsResponse page = sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(status)
          .maxResults(1000).nextToken(next));
      items.addAll(page.executions());
      token = page.nextToken();
    } while (token != null);
    return items;
  }

  private static List<Integer> rangeOf(int count) {
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      numbers.add(i);
    }
    return numbers;
  }

  private static <T, R> List<R> parallel(List<T> inputs, Function<T, R> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T input : inputs) {
        futures.add(pool.submit(() -> call.apply(input)));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
