package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.conformance.ConformanceCase;
import io.stepstream.asl.conformance.ConformanceTest;
import io.stepstream.asl.conformance.FidelityCasesTest;
import io.stepstream.asl.conformance.HistoryComparison;
import io.stepstream.asl.conformance.OutcomeComparator;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.ExecutionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * The AWS-recorded conformance corpus through the real API: each case becomes a STANDARD state
 * machine created with the AWS SDK, one execution is started, and its DescribeExecution result is
 * compared with what AWS recorded (status, output, error, cause, with the corpus's placeholder rules).
 * Invalid definitions must be refused by CreateStateMachine with AWS's message. Where AWS's history
 * was recorded, GetExecutionHistory (all pages) must give the recorded event types, compared as the
 * in-memory conformance run compares them ({@link HistoryComparison}).
 *
 * <p>The project's own cases ({@link FidelityCasesTest}) run in the same instance and must all pass,
 * their histories' ids and previousEventIds included.
 */
class ConformanceThroughApiTest {

  private static final double PASS_RATE_THRESHOLD = 0.97;
  private static final double HISTORY_MATCH_THRESHOLD = 0.97;

  @TempDir
  static Path dataDir;

  @Test
  void shouldMatchAwsForTheCorpusThroughTheApi() throws Exception {
    Path corpus = ConformanceTest.corpusDirectory();
    if (!Files.isDirectory(corpus.resolve("cases"))) {
      System.out.println("conformance (API): skipped (corpus not found at " + corpus + ")");
      return;
    }
    List<ConformanceCase> cases = ConformanceCase.loadAll(corpus);
    List<ConformanceCase> fidelityCases = ConformanceCase.loadAll(FidelityCasesTest.directory());
    Map<String, List<String>> fidelityFailures = new ConcurrentHashMap<>();
    Map<String, List<String>> failures = new ConcurrentHashMap<>();
    Map<String, String> historyDifferences = new ConcurrentHashMap<>();
    Map<String, Boolean> historyCompared = new ConcurrentHashMap<>();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint())) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        ConformanceCase c = cases.get(i);
        String name = "conformance-" + i;
        runs.add(pool.submit(() -> {
          List<String> differences = run(sfn, c, name, historyCompared, historyDifferences, false);
          if (!differences.isEmpty()) {
            failures.put(c.id(), differences);
          }
        }));
      }
      for (int i = 0; i < fidelityCases.size(); i++) {
        ConformanceCase c = fidelityCases.get(i);
        String name = "fidelity-" + i;
        runs.add(pool.submit(() -> {
          Map<String, String> historyDifference = new ConcurrentHashMap<>();
          List<String> differences =
              new ArrayList<>(run(sfn, c, name, new ConcurrentHashMap<>(), historyDifference, true));
          historyDifference.values().forEach(d -> differences.add("history: " + d));
          if (!differences.isEmpty()) {
            fidelityFailures.put(c.id(), differences);
          }
        }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
      pool.shutdown();
    }
    System.out.println("fidelity (API): " + (fidelityCases.size() - fidelityFailures.size()) + " of "
        + fidelityCases.size() + " of the project's own cases pass");
    fidelityFailures.forEach((id, differences) -> System.out.println("  " + id + ": " + differences));
    int failed = failures.size();
    int passed = cases.size() - failed;
    System.out.println("conformance (API): " + passed + " passed, " + failed + " failed, 0 skipped");
    failures.forEach((id, differences) -> System.out.println("  " + id + ": " + differences));
    int compared = historyCompared.size();
    int matched = compared - historyDifferences.size();
    System.out.println("history (API): " + matched + " of " + compared + " cases with recorded history match");
    historyDifferences.forEach((id, difference) -> System.out.println("  history " + id + ": " + difference));
    assertThat((double) passed / cases.size()).as("pass rate through the API").isGreaterThanOrEqualTo(PASS_RATE_THRESHOLD);
    assertThat((double) matched / compared).as("history match rate through the API")
        .isGreaterThanOrEqualTo(HISTORY_MATCH_THRESHOLD);
    assertThat(fidelityFailures).as("the project's own cases through the API").isEmpty();
  }

  /** Every event GetExecutionHistory returns, page by page. */
  private static List<HistoryEvent> history(SfnClient sfn, String executionArn) {
    List<HistoryEvent> events = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      GetExecutionHistoryResponse page = sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)
          .nextToken(next));
      events.addAll(page.events());
      token = page.nextToken();
    } while (token != null);
    return events;
  }

  /**
   * The first event whose id or previousEventId differs from a recording that gives them all (the
   * project's own cases do; the corpus's Parallel recordings mask them), or null.
   */
  private static String idDifference(JsonNode recorded, List<HistoryEvent> ours) {
    for (JsonNode event : recorded) {
      if (!event.path("id").isIntegralNumber()) {
        return null;
      }
    }
    for (int i = 0; i < recorded.size() && i < ours.size(); i++) {
      long id = recorded.get(i).get("id").longValue();
      long previous = recorded.get(i).get("previousEventId").longValue();
      if (ours.get(i).id() != id || ours.get(i).previousEventId() != previous) {
        return "event " + (i + 1) + " (" + ours.get(i).typeAsString() + "): expected id " + id + " after " + previous
            + ", got id " + ours.get(i).id() + " after " + ours.get(i).previousEventId();
      }
    }
    return null;
  }

  /**
   * Runs one case through the API and returns how its outcome differs from the expected one.
   *
   * @param compareIds whether the history's ids and previousEventIds must match too (the project's cases)
   */
  private static List<String> run(SfnClient sfn, ConformanceCase c, String name, Map<String, Boolean> historyCompared,
      Map<String, String> historyDifferences, boolean compareIds) {
    String machine;
    try {
      machine = sfn.createStateMachine(b -> b.name(name).definition(c.definitionText())
          .roleArn(ExecutionsSfnClientTest.ROLE).type(StateMachineType.STANDARD)).stateMachineArn();
    } catch (InvalidDefinitionException e) {
      if (c.expected().invalidDefinition()) {
        String expected = c.expected().cause().substring(c.expected().cause().indexOf("Invalid State Machine Definition"));
        return e.awsErrorDetails().errorMessage().equals(expected) ? List.of()
            : List.of("InvalidDefinition message: expected " + expected + ", got " + e.awsErrorDetails().errorMessage());
      }
      return List.of("definition refused: " + e.awsErrorDetails().errorMessage());
    }
    if (c.expected().invalidDefinition()) {
      return List.of("expected InvalidDefinition, the API accepted the definition");
    }
    String input = c.input() == null ? "{}" : c.input().toString();
    String executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("conformance-execution").input(input))
        .executionArn();
    DescribeExecutionResponse done = ExecutionsSfnClientTest.waitFor(() -> {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      return d.status() == software.amazon.awssdk.services.sfn.model.ExecutionStatus.RUNNING ? null : d;
    }, executionArn);
    ExecutionOutcome outcome = new ExecutionOutcome(ExecutionStatus.valueOf(done.statusAsString()),
        done.output() == null ? "" : done.output(), done.error() == null ? "" : done.error(),
        done.cause() == null ? "" : done.cause(), List.of(), null);
    if (!c.historyTypes().isEmpty()) {
      historyCompared.put(c.id(), true);
      List<HistoryEvent> events = history(sfn, executionArn);
      String difference = HistoryComparison.difference(c.history(),
          events.stream().map(HistoryEvent::typeAsString).toList());
      if (difference == null && compareIds) {
        difference = idDifference(c.history(), events);
      }
      if (difference != null) {
        historyDifferences.put(c.id(), difference);
      }
    }
    return OutcomeComparator.compare(c, outcome);
  }
}
