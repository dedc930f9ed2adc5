package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.clientWithoutRetries;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.gateway.api.Arns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Read your writes and exact name idempotency under concurrency, through the AWS SDK as users script
 * it: "start, then describe", "start with a name, again on retry". The client never retries, so every
 * miss, 5xx included, counts; no read is repeated until it passes.
 */
class ReadYourWritesTest {

  private static final int THREADS = 8;

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = clientWithoutRetries(dev.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void shouldKnowEveryExecutionAtOnceAfterItsStart() throws Exception {
    String standard = create("ryw-standard", StateMachineType.STANDARD, """
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "Done"}, "Done": {"Type": "Succeed"}}}""");
    String express = create("ryw-express", StateMachineType.EXPRESS, """
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""");
    List<String> misses = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger starts = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        int n = i;
        done.add(threads.submit(() -> {
          boolean isExpress = n % 4 == 3;
          String arn = sfn.startExecution(r -> r.stateMachineArn(isExpress ? express : standard)
              .input("{\"n\": " + n + "}")).executionArn();
          starts.incrementAndGet();
          record(misses, "DescribeExecution " + arn, () -> sfn.describeExecution(r -> r.executionArn(arn)));
          if (!isExpress) {
            record(misses, "GetExecutionHistory " + arn, () -> {
              List<HistoryEventType> types = sfn.getExecutionHistory(r -> r.executionArn(arn)).events().stream()
                  .map(HistoryEvent::type).toList();
              if (!types.contains(HistoryEventType.EXECUTION_STARTED)) {
                throw new AssertionError("no ExecutionStarted in " + types);
              }
            });
            if (n % 20 == 0) {
              record(misses, "ListExecutions " + arn, () -> {
                if (!listAll(standard, null, 100).contains(arn)) {
                  throw new AssertionError("not listed");
                }
              });
            }
          }
        }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(starts).hasValue(600);
    assertThat(misses).as("reads that did not know a started execution").isEmpty();
  }

  @Test
  void shouldListAndFilterWhatDescribeShowed() {
    String machine = create("monotonic", StateMachineType.STANDARD, """
        {"StartAt": "C", "States": {"C": {"Type": "Choice",
          "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "F"}], "Default": "W"},
          "W": {"Type": "Wait", "Seconds": 1, "End": true}, "F": {"Type": "Fail", "Error": "Asked"}}}""");
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      boolean fail = i % 3 == 0;
      arns.add(sfn.startExecution(r -> r.stateMachineArn(machine).input("{\"fail\": " + fail + "}")).executionArn());
    }
    Map<String, ExecutionStatus> shown = new ConcurrentHashMap<>();
    for (String arn : arns) {
      DescribeExecutionResponse described = waitFor(() -> {
        DescribeExecutionResponse d = sfn.describeExecution(r -> r.executionArn(arn));
        return d.status() == ExecutionStatus.RUNNING ? null : d;
      }, arn + " to end");
      shown.put(arn, described.status());
      // What DescribeExecution showed, the history shows too.
      List<HistoryEventType> types = sfn.getExecutionHistory(r -> r.executionArn(arn).reverseOrder(true)
          .maxResults(1)).events().stream().map(HistoryEvent::type).toList();
      assertThat(types).containsExactly(described.status() == ExecutionStatus.FAILED
          ? HistoryEventType.EXECUTION_FAILED : HistoryEventType.EXECUTION_SUCCEEDED);
    }
    assertThat(listAll(machine, null)).containsExactlyInAnyOrderElementsOf(arns);
    for (ExecutionStatus status : List.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED, ExecutionStatus.RUNNING)) {
      List<String> expected = arns.stream().filter(arn -> shown.get(arn) == status).toList();
      assertThat(listAll(machine, status)).as("listed as " + status).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(shown.values()).containsOnly(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED);
  }

  @Test
  void shouldTakeANameExactlyOnceUnderRaces() throws Exception {
    String machine = create("names", StateMachineType.STANDARD, """
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""");
    int tries = 1000;
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(THREADS * 2);
    try {
      List<List<Future<Object>>> pairs = new ArrayList<>();
      for (int i = 0; i < tries; i++) {
        int n = i;
        CyclicBarrier together = new CyclicBarrier(2);
        List<Future<Object>> pair = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
          String input = n % 2 == 0 ? "{\"try\": " + n + "}" : "{\"try\": " + n + ", \"side\": " + side + "}";
          pair.add(threads.submit(() -> {
            together.await();
            try {
              return sfn.startExecution(r -> r.stateMachineArn(machine).name("race-" + n).input(input))
                  .executionArn();
            } catch (SfnException e) {
              return e.awsErrorDetails().errorCode();
            }
          }));
        }
        pairs.add(pair);
      }
      for (int n = 0; n < tries; n++) {
        List<Object> answers = List.of(pairs.get(n).get(0).get(), pairs.get(n).get(1).get());
        String arn = machine.replace(":stateMachine:", ":execution:") + ":race-" + n;
        boolean sameInput = n % 2 == 0;
        boolean right = sameInput ? answers.equals(List.of(arn, arn))
            : answers.contains(arn) && answers.contains("ExecutionAlreadyExists");
        if (!right) {
          wrong.add("try " + n + (sameInput ? " (same input): " : " (other input): ") + answers);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(wrong).as("wrong answers in " + tries + " races").isEmpty();
  }

  private static void record(List<String> misses, String what, Runnable read) {
    try {
      read.run();
    } catch (SfnException e) {
      misses.add(what + ": " + e.awsErrorDetails().errorCode() + " " + e.awsErrorDetails().errorMessage());
    } catch (AssertionError e) {
      misses.add(what + ": " + e.getMessage());
    }
  }

  private static String create(String name, StateMachineType type, String definition) {
    return sfn.createStateMachine(r -> r.name(name).roleArn(ROLE).type(type).definition(definition))
        .stateMachineArn();
  }

  /** Every execution of a state machine (of one status, or all), through pages of 7 (or another size). */
  private static List<String> listAll(String machine, ExecutionStatus status) {
    return listAll(machine, status, 7);
  }

  private static List<String> listAll(String machine, ExecutionStatus status, int pageSize) {
    List<String> all = new ArrayList<>();
    String next = null;
    do {
      String page = next;
      ListExecutionsResponse response = sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(pageSize)
          .statusFilter(status).nextToken(page));
      response.executions().stream().map(ExecutionListItem::executionArn).forEach(all::add);
      next = response.nextToken();
    } while (next != null);
    return all;
  }
}
