package io.stepstream.loadtest.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * Reads, as a user polling for results would: three threads per gateway describe every execution
 * whose StartExecution has answered, over and over (a sweep at most every second), without retries,
 * and counts every answer. ExecutionDoesNotExist for such an execution is a false not-found.
 * Executions whose start failed on both gateways are described too (they may exist), but a
 * not-found for them is no false one. A gateway the harness killed is not asked until it runs again.
 *
 * <p>After each fault it also measures how long until every execution started before the fault
 * has been described (200) again, by any gateway: reads recovered.
 */
final class ReadProber implements AutoCloseable {

  /** A false not-found: the execution's start had answered before this read was sent. */
  record NotFound(String execution, String gateway, long sentMs, String message) {}

  /** The reads after one fault. */
  static final class Window {
    final String fault;
    final long atMs;
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private volatile long recoveredMs;

    private Window(String fault, long atMs, List<TrackedExecution> started) {
      this.fault = fault;
      this.atMs = atMs;
      started.forEach(execution -> waiting.add(execution.name));
      if (waiting.isEmpty()) {
        recoveredMs = atMs;
      }
    }

    /** When every execution started before the fault had been described again; 0 if not yet. */
    long recoveredMs() {
      return recoveredMs;
    }

    private void answered(String name, long sentMs) {
      if (sentMs >= atMs && waiting.remove(name) && waiting.isEmpty()) {
        recoveredMs = System.currentTimeMillis();
      }
    }
  }

  private static final long SWEEP_MS = 1_000;
  /** Readers per gateway, each with its share of the executions, so that a sweep of 300 stays short. */
  private static final int STRIPES = 3;

  private final List<SfnClient> gateways;
  private final List<String> names;
  private final IntPredicate up;
  private final List<TrackedExecution> executions;
  private final List<Map<String, Long>> answers = new ArrayList<>();
  private final List<NotFound> notFound = new CopyOnWriteArrayList<>();
  private final List<Window> windows = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  /**
   * @param gateways clients without retries, one per gateway
   * @param names the gateways' names, for the report
   * @param up whether gateway {@code i}'s process runs
   * @param executions every planned execution; only those whose start answered are read
   */
  ReadProber(List<SfnClient> gateways, List<String> names, IntPredicate up, List<TrackedExecution> executions) {
    this.gateways = List.copyOf(gateways);
    this.names = List.copyOf(names);
    this.up = up;
    this.executions = List.copyOf(executions);
    for (int i = 0; i < gateways.size(); i++) {
      answers.add(new ConcurrentHashMap<>());
    }
  }

  void start() {
    for (int i = 0; i < gateways.size(); i++) {
      for (int stripe = 0; stripe < STRIPES; stripe++) {
        int gateway = i;
        int mine = stripe;
        threads.add(Thread.ofPlatform().name("chaos-reads-" + names.get(i) + "-" + stripe).daemon()
            .start(() -> sweep(gateway, mine)));
      }
    }
  }

  /** Opens a recovery window: from now on, every execution started so far must be described again. */
  Window faultHappened(String fault, long atMs) {
    Window window = new Window(fault, atMs, executions.stream().filter(TrackedExecution::started).toList());
    windows.add(window);
    return window;
  }

  /** Answers per gateway: {@code "200 RUNNING"}, {@code "503 ServiceUnavailable"}, {@code "unreachable"}, ... */
  Map<String, Map<String, Long>> answers() {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      copy.put(names.get(i), new TreeMap<>(answers.get(i)));
    }
    return copy;
  }

  List<NotFound> notFound() {
    return List.copyOf(notFound);
  }

  List<Window> windows() {
    return List.copyOf(windows);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** Describes every {@link #STRIPES}th execution, from {@code stripe} on, through one gateway, over and over. */
  private void sweep(int gateway, int stripe) {
    while (running) {
      long began = System.currentTimeMillis();
      if (up.test(gateway)) {
        for (int i = stripe; i < executions.size(); i += STRIPES) {
          TrackedExecution execution = executions.get(i);
          if (!running) {
            return;
          }
          if (execution.probed() && up.test(gateway)) {
            describe(gateway, execution);
          }
        }
      }
      long rest = SWEEP_MS - (System.currentTimeMillis() - began);
      if (rest > 0) {
        try {
          Thread.sleep(rest);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void describe(int gateway, TrackedExecution execution) {
    long sent = System.currentTimeMillis();
    String answer;
    try {
      DescribeExecutionResponse described = gateways.get(gateway).describeExecution(b -> b.executionArn(execution.arn));
      execution.observed(described.statusAsString(),
          described.stopDate() == null ? 0 : described.stopDate().toEpochMilli());
      windows.forEach(window -> window.answered(execution.name, sent));
      answer = "200 " + described.statusAsString();
    } catch (ExecutionDoesNotExistException e) {
      if (execution.started()) {
        notFound.add(new NotFound(execution.name, names.get(gateway), sent, e.awsErrorDetails().errorMessage()));
        answer = "400 ExecutionDoesNotExist";
      } else {
        answer = "400 ExecutionDoesNotExist (start failed)";
      }
    } catch (SfnException e) {
      answer = e.statusCode() + " " + e.awsErrorDetails().errorCode();
    } catch (SdkClientException e) {
      answer = "unreachable";
    }
    answers.get(gateway).merge(answer, 1L, Long::sum);
  }
}
