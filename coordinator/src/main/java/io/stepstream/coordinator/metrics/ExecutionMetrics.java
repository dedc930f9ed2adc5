package io.stepstream.coordinator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The execution metrics AWS Step Functions publishes (ExecutionsStarted, ExecutionsSucceeded, ...,
 * ExecutionTime, the activity and task metrics), counted from the history events the coordinator
 * emits, tagged with the state machine's ARN; and the timers' delay.
 *
 * <p>Why here: the coordinator that owns an execution's partition is the one place that decides each
 * of its events, so in a cluster every event is counted by exactly one instance, and Prometheus adds
 * the instances up ({@code sum by (state_machine_arn)}). What this does not see, and who counts it:
 * a synchronous EXPRESS execution that the gateway runs to its end by itself, and the starts a gateway
 * throttles (the gateway's {@code GatewayMetrics}). Replays are documented in
 * {@code docs/operations-metrics.md}: processing that Kafka Streams aborts and repeats is counted again.
 *
 * <p>Thread-safe: stream threads of several tasks share one instance.
 */
public final class ExecutionMetrics {

  /** Counts nothing (tests, tools). */
  public static final ExecutionMetrics NONE = new ExecutionMetrics(new CompositeMeterRegistry());

  /**
   * Bucket bounds of the {@code ExecutionTime} histogram, short enough for EXPRESS and long enough for
   * STANDARD: {@code histogram_quantile(0.99, ...)} over them gives the p99 an alarm needs. Fixed
   * bounds (16) rather than Micrometer's percentile histogram (about 70 per state machine).
   */
  static final Duration[] EXECUTION_TIME_BUCKETS = {
      Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
      Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1)};

  /** How late a timer fires after its due time: the timers' backlog. */
  static final Duration[] TIMER_DELAY_BUCKETS = {
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5)};

  private final MeterRegistry registry;
  private final Map<String, Machine> machines = new ConcurrentHashMap<>();
  private final Timer timerDelay;
  private final Counter saturatedTicks;

  public ExecutionMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.timerDelay = Timer.builder("stepstream.timer.delay")
        .description("How long after its due time a durable timer (Wait, retry back-off, TimeoutSeconds) fired")
        .serviceLevelObjectives(TIMER_DELAY_BUCKETS).register(registry);
    this.saturatedTicks = Counter.builder("stepstream.timer.saturated.ticks")
        .description("Timer scans that fired as many timers as one scan may: more were due and had to wait")
        .register(registry);
  }

  /** The meters of one state machine, created on its first event. */
  private final class Machine {
    final String arn;
    final Counter started;
    final Counter succeeded;
    final Counter failed;
    final Counter timedOut;
    final Counter aborted;
    final Counter redriven;
    final Counter transitions;
    final Timer time;

    Machine(String arn) {
      this.arn = arn;
      this.started = counter("stepstream.executions.started", "ExecutionsStarted");
      this.succeeded = counter("stepstream.executions.succeeded", "ExecutionsSucceeded");
      this.failed = counter("stepstream.executions.failed", "ExecutionsFailed");
      this.timedOut = counter("stepstream.executions.timed.out", "ExecutionsTimedOut");
      this.aborted = counter("stepstream.executions.aborted", "ExecutionsAborted");
      this.redriven = counter("stepstream.executions.redriven", "ExecutionsRedriven");
      this.transitions = counter("stepstream.state.transitions", "States entered (AWS's StateTransition)");
      this.time = Timer.builder("stepstream.execution.time").tag("state_machine_arn", arn)
          .description("ExecutionTime: from the start to the end of an execution")
          .serviceLevelObjectives(EXECUTION_TIME_BUCKETS).register(registry);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name).tag("state_machine_arn", arn).description(description).register(registry);
    }
  }

  /**
   * Counts the events one command made an execution emit.
   *
   * @param execution the execution after the command (its state machine, start time and map run)
   * @param events the events, in order
   */
  public void recorded(ExecutionState execution, List<HistoryEvent> events) {
    Machine machine = machines.computeIfAbsent(execution.getStateMachineArn(), Machine::new);
    boolean mapRunChild = !execution.getMapRunArn().isEmpty();
    for (HistoryEvent event : events) {
      switch (event.getType()) {
        case ExecutionStarted -> {
          machine.started.increment();
          if (mapRunChild) {
            mapRunChild(machine.arn, "started");
          }
        }
        case ExecutionSucceeded -> ended(machine, machine.succeeded, execution, event, mapRunChild, "succeeded");
        case ExecutionFailed -> ended(machine, machine.failed, execution, event, mapRunChild, "failed");
        case ExecutionTimedOut -> ended(machine, machine.timedOut, execution, event, mapRunChild, "timed_out");
        case ExecutionAborted -> ended(machine, machine.aborted, execution, event, mapRunChild, "aborted");
        case ExecutionRedriven -> machine.redriven.increment();
        case TaskScheduled -> task(machine.arn, event.getTaskScheduledEventDetails().getResourceType(),
            event.getTaskScheduledEventDetails().getResource(), "scheduled");
        case TaskStarted -> task(machine.arn, event.getTaskStartedEventDetails().getResourceType(),
            event.getTaskStartedEventDetails().getResource(), "started");
        case TaskSucceeded -> task(machine.arn, event.getTaskSucceededEventDetails().getResourceType(),
            event.getTaskSucceededEventDetails().getResource(), "succeeded");
        case TaskFailed -> task(machine.arn, event.getTaskFailedEventDetails().getResourceType(),
            event.getTaskFailedEventDetails().getResource(), "failed");
        case TaskTimedOut -> task(machine.arn, event.getTaskTimedOutEventDetails().getResourceType(),
            event.getTaskTimedOutEventDetails().getResource(), "timed_out");
        case TaskStartFailed -> task(machine.arn, event.getTaskStartFailedEventDetails().getResourceType(),
            event.getTaskStartFailedEventDetails().getResource(), "start_failed");
        case TaskSubmitFailed -> task(machine.arn, event.getTaskSubmitFailedEventDetails().getResourceType(),
            event.getTaskSubmitFailedEventDetails().getResource(), "submit_failed");
        case LambdaFunctionScheduled -> task(machine.arn, "lambda", "function", "scheduled");
        case LambdaFunctionStarted -> task(machine.arn, "lambda", "function", "started");
        case LambdaFunctionSucceeded -> task(machine.arn, "lambda", "function", "succeeded");
        case LambdaFunctionFailed -> task(machine.arn, "lambda", "function", "failed");
        case LambdaFunctionTimedOut -> task(machine.arn, "lambda", "function", "timed_out");
        case LambdaFunctionScheduleFailed, LambdaFunctionStartFailed ->
            task(machine.arn, "lambda", "function", "start_failed");
        case ActivityScheduled -> activity(machine.arn, "scheduled");
        case ActivityStarted -> activity(machine.arn, "started");
        case ActivitySucceeded -> activity(machine.arn, "succeeded");
        case ActivityFailed -> activity(machine.arn, "failed");
        case ActivityTimedOut -> activity(machine.arn, "timed_out");
        case ActivityScheduleFailed -> activity(machine.arn, "schedule_failed");
        case MapRunStarted -> mapRun(machine.arn, "started");
        case MapRunSucceeded -> mapRun(machine.arn, "succeeded");
        case MapRunFailed -> mapRun(machine.arn, "failed");
        case MapRunAborted -> mapRun(machine.arn, "aborted");
        default -> {
          if (event.getType().name().endsWith("StateEntered")) {
            machine.transitions.increment();
          }
        }
      }
    }
  }

  /**
   * Counts the items of a Distributed Map's runs as they move: {@code read} when a reader hands them
   * to a child, then the child's outcome ({@code succeeded}, {@code failed}, {@code timed_out},
   * {@code aborted}), as DescribeMapRun's itemCounts move.
   *
   * @param stateMachineArn the parent execution's state machine
   */
  public void mapRunItems(String stateMachineArn, String status, long items) {
    Counter.builder("stepstream.map.run.items")
        .description("Items of Distributed Map runs by status (DescribeMapRun's itemCounts)")
        .tag("state_machine_arn", stateMachineArn).tag("status", status).register(registry).increment(items);
  }

  /** The states entered among {@code events}: AWS's state transitions. */
  public static int transitions(List<HistoryEvent> events) {
    int entered = 0;
    for (HistoryEvent event : events) {
      if (event.getType().name().endsWith("StateEntered")) {
        entered++;
      }
    }
    return entered;
  }

  /**
   * Counts transitions of a state machine's execution that waited for the StateTransition quota
   * (AWS's ExecutionThrottled counts them; the gateway counts refused starts in the same metric).
   */
  public void transitionsThrottled(String stateMachineArn, int transitions) {
    Counter.builder("stepstream.executions.throttled")
        .description("ExecutionThrottled: execution starts refused with ThrottlingException")
        .tag("state_machine_arn", stateMachineArn).tag("reason", "state_transitions").register(registry)
        .increment(transitions);
  }

  /** Records how long after its due time a timer fired. */
  public void timerFired(long delayMs) {
    timerDelay.record(Duration.ofMillis(Math.max(0, delayMs)));
  }

  /** Counts a timer scan that fired as many timers as one scan may. */
  public void timerScanSaturated() {
    saturatedTicks.increment();
  }

  private void ended(Machine machine, Counter outcome, ExecutionState execution, HistoryEvent event,
      boolean mapRunChild, String status) {
    outcome.increment();
    machine.time.record(Duration.ofMillis(Math.max(0, event.getTimestampMs() - execution.getStartTimeMs())));
    if (mapRunChild) {
      mapRunChild(machine.arn, status);
    }
  }

  private void task(String machineArn, String resourceType, String resource, String outcome) {
    Counter.builder("stepstream.tasks").description("Task states' tasks by resource and outcome")
        .tag("state_machine_arn", machineArn)
        .tag("resource", resourceType.isEmpty() ? resource : resourceType + ":" + resource)
        .tag("outcome", outcome).register(registry).increment();
  }

  private void activity(String machineArn, String outcome) {
    Counter.builder("stepstream.activities").description("Activity tasks by outcome (AWS's Activities* metrics)")
        .tag("state_machine_arn", machineArn).tag("outcome", outcome).register(registry).increment();
  }

  private void mapRun(String machineArn, String outcome) {
    Counter.builder("stepstream.map.runs").description("Distributed Map runs of a state machine by outcome")
        .tag("state_machine_arn", machineArn).tag("outcome", outcome).register(registry).increment();
  }

  private void mapRunChild(String processorArn, String status) {
    Counter.builder("stepstream.map.run.child.executions")
        .description("Child executions of Distributed Map runs, by the map's processor (state machine) and status")
        .tag("state_machine_arn", processorArn).tag("status", status)
        .register(registry).increment();
  }
}
