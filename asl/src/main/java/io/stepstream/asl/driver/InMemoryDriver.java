package io.stepstream.asl.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FireTimer;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.MapRunEnded;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerRef;
import io.stepstream.proto.WorkflowType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs executions to their end in memory: the interpreter, a fake clock and task handlers, all in the
 * calling thread.
 *
 * <p>Time is a number the driver advances, never read from a clock: every command of a run is stamped
 * with the current fake time, which starts at {@link Builder#startTimeMs} and moves only when the
 * execution waits on timers alone; then it jumps to the earliest due timer, which fires. Dispatched
 * tasks complete at once, in dispatch order, before any timer fires, so a task never times out here.
 *
 * <p>A driver is immutable once built and may be shared between threads; each {@code run} keeps its
 * own state. Same definition, input, name and seed give the same events, byte for byte.
 */
public final class InMemoryDriver {

  /** 2024-01-01T00:00:00Z, the default start of the fake clock. */
  public static final long DEFAULT_START_TIME_MS = 1_704_067_200_000L;
  /**
   * AWS ends an execution whose history passes 25,000 events; every step emits at least one event,
   * so no execution that AWS would run needs more steps than that.
   */
  public static final int DEFAULT_MAX_STEPS = 25_000;
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "123456789012";
  public static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/stepstream";
  public static final String DEFAULT_STATE_MACHINE_NAME = "StateMachine";
  public static final String DEFAULT_EXECUTION_NAME = "execution";
  public static final long DEFAULT_SEED = 1L;

  private final Interpreter interpreter;
  private final Map<String, Function<JsonNode, JsonNode>> handlers;
  private final Map<String, Function<JsonNode, JsonNode>> stateHandlers;
  private final String stateMachineName;
  private final String stateMachineArn;
  private final String defaultExecutionArn;
  private final long startTimeMs;
  private final int maxSteps;

  private InMemoryDriver(Builder builder) {
    this.interpreter = new Interpreter(builder.limits);
    this.handlers = Map.copyOf(builder.handlers);
    this.stateHandlers = Map.copyOf(builder.stateHandlers);
    this.stateMachineName = builder.stateMachineName;
    this.stateMachineArn = stateMachineArn(builder.stateMachineName);
    this.defaultExecutionArn = executionArn(builder.stateMachineName, DEFAULT_EXECUTION_NAME);
    this.startTimeMs = builder.startTimeMs;
    this.maxSteps = builder.maxSteps;
  }

  /** A builder with the defaults: no task handlers, {@link Limits#DEFAULT}, the default names and times. */
  public static Builder builder() {
    return new Builder();
  }

  /** A driver with the defaults and no task handlers (enough for workflows without Task states). */
  public static InMemoryDriver create() {
    return builder().build();
  }

  /** {@code arn:aws:states:us-east-1:123456789012:stateMachine:<name>}. */
  public static String stateMachineArn(String name) {
    return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
  }

  /** {@code arn:aws:states:us-east-1:123456789012:execution:<machine name>:<execution name>}. */
  public static String executionArn(String stateMachineName, String executionName) {
    return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":execution:" + stateMachineName + ":" + executionName;
  }

  /** The name of the state machine every execution of this driver belongs to. */
  public String stateMachineName() {
    return stateMachineName;
  }

  /**
   * Runs one execution named {@link #DEFAULT_EXECUTION_NAME} with seed {@link #DEFAULT_SEED}.
   *
   * @see #run(StateMachineDefinition, String, String, long)
   */
  public ExecutionOutcome run(StateMachineDefinition definition, String inputJson) {
    return run(definition, inputJson, DEFAULT_EXECUTION_NAME, DEFAULT_SEED, defaultExecutionArn);
  }

  /**
   * Runs one execution from StartExecution to its terminal event.
   *
   * @param definition a compiled definition
   * @param inputJson the execution input, JSON text
   * @param executionName the execution's name (the last part of its ARN)
   * @param seed the seed of the execution's randomness
   * @return how the execution ended, with every event it emitted
   * @throws IllegalStateException when the interpreter rejects StartExecution (e.g. input that is not
   *     JSON) or a task result, when a Task state names a resource without a handler, when the
   *     execution waits on nothing while still running, or when it does not end within the step cap
   */
  public ExecutionOutcome run(StateMachineDefinition definition, String inputJson, String executionName, long seed) {
    return run(definition, inputJson, executionName, seed, executionArn(stateMachineName, executionName));
  }

  private ExecutionOutcome run(
      StateMachineDefinition definition, String inputJson, String executionName, long seed, String executionArn) {
    Run run = new Run(definition, executionArn);
    Command start = Command.newBuilder()
        .setTimeMs(run.now)
        .setExecutionArn(executionArn)
        .setStartExecution(StartExecution.newBuilder()
            .setName(executionName)
            .setStateMachineArn(stateMachineArn)
            .setType(WorkflowType.STANDARD)
            .setInput(inputJson)
            .setRoleArn(ROLE_ARN)
            .setSeed(seed))
        .build();
    run.process(start, true);
    int steps = 1;
    while (run.state.getStatus() == ExecutionStatus.RUNNING) {
      if (steps++ >= maxSteps) {
        throw new IllegalStateException("execution " + executionArn + " is still running after " + maxSteps
            + " steps (a loop without end?); raise Builder.maxSteps if it is meant to run longer");
      }
      Command next = run.nextCommand();
      if (next == null) {
        throw new IllegalStateException("execution " + executionArn
            + " is running but waits on no task and no timer: it can never finish");
      }
      run.process(next, !next.hasFireTimer());
    }
    ExecutionState state = run.state;
    return new ExecutionOutcome(state.getStatus(), state.getOutput(), state.getError(), state.getCause(),
        run.events(), state);
  }

  /** The working set of one run: the state, the events so far, the pending tasks and timers. */
  private final class Run {

    private final StateMachineDefinition definition;
    private final String executionArn;
    long now = startTimeMs;
    ExecutionState state = ExecutionState.getDefaultInstance();
    // Most executions finish in one step: keep that step's list and copy only when a second comes.
    private List<HistoryEvent> firstEvents = List.of();
    private List<HistoryEvent> allEvents;
    // Created on first use: workflows without tasks or timers allocate neither.
    private ArrayDeque<DispatchTask> tasks;
    private List<TimerRef> timers;
    // Map runs that ended, to report to the parent before anything else happens.
    private ArrayDeque<Command> commands;

    Run(StateMachineDefinition definition, String executionArn) {
      this.definition = definition;
      this.executionArn = executionArn;
    }

    /**
     * @param mustBeAccepted false for fired timers: a timer the execution no longer waits for (its
     *     state ended meanwhile) may be refused, and that refusal is harmless
     */
    void process(Command command, boolean mustBeAccepted) {
      Step step = interpreter.process(state, command, definition);
      if (step.rejected()) {
        if (mustBeAccepted) {
          throw new IllegalStateException("the interpreter rejected " + command.getKindCase() + " of "
              + executionArn + ": " + step.rejection().type() + ": " + step.rejection().message());
        }
        return;
      }
      state = step.state();
      addEvents(step.events());
      for (Effect effect : step.effects()) {
        switch (effect.getKindCase()) {
          case DISPATCH_TASK -> {
            if (tasks == null) {
              tasks = new ArrayDeque<>();
            }
            tasks.add(effect.getDispatchTask());
          }
          case START_TIMER -> {
            if (timers == null) {
              timers = new ArrayList<>(4);
            }
            timers.add(effect.getStartTimer().getTimer());
          }
          case CANCEL_TIMER -> {
            if (timers != null) {
              String id = effect.getCancelTimer().getTimerId();
              timers.removeIf(timer -> timer.getTimerId().equals(id));
            }
          }
          case START_MAP_RUN -> {
            MapRunEnded ended = InMemoryMapRun.run(effect.getStartMapRun(), definition,
                (processor, input, childArn) -> InMemoryDriver.this.run(processor, input,
                    childArn.substring(childArn.lastIndexOf(':') + 1), DEFAULT_SEED, childArn));
            ended = ended.toBuilder().setMapRunArn(effect.getStartMapRun().getMapRunArn()).build();
            if (commands == null) {
              commands = new ArrayDeque<>();
            }
            commands.add(command().setMapRunEnded(ended).build());
          }
          case STOP_MAP_RUN, REDRIVE_MAP_RUN, REPORT_COMPLETION, KIND_NOT_SET -> {
            // The terminal status is read from the state; nothing to deliver in memory.
          }
        }
      }
    }

    private void addEvents(List<HistoryEvent> events) {
      if (allEvents != null) {
        allEvents.addAll(events);
      } else if (firstEvents.isEmpty()) {
        firstEvents = events;
      } else {
        allEvents = new ArrayList<>(firstEvents.size() + events.size() + 16);
        allEvents.addAll(firstEvents);
        allEvents.addAll(events);
      }
    }

    List<HistoryEvent> events() {
      return allEvents != null ? allEvents : firstEvents;
    }

    /** The next command: a task's result first; else the earliest timer fires; null when none. */
    Command nextCommand() {
      if (commands != null && !commands.isEmpty()) {
        return commands.poll();
      }
      if (tasks != null && !tasks.isEmpty()) {
        return runTask(tasks.poll());
      }
      if (timers == null || timers.isEmpty()) {
        return null;
      }
      int earliest = 0;
      for (int i = 1; i < timers.size(); i++) {
        // Strictly earlier only: timers due at the same time fire in the order they were started.
        if (timers.get(i).getDueTimeMs() < timers.get(earliest).getDueTimeMs()) {
          earliest = i;
        }
      }
      TimerRef timer = timers.remove(earliest);
      now = Math.max(now, timer.getDueTimeMs());
      return command().setFireTimer(FireTimer.newBuilder().setTimerId(timer.getTimerId())).build();
    }

    private Command runTask(DispatchTask task) {
      Function<JsonNode, JsonNode> handler = stateHandlers.getOrDefault(task.getStateName(),
          handlers.get(task.getResource()));
      if (handler == null) {
        throw new IllegalStateException("no task handler registered for state " + task.getStateName()
            + " or resource " + task.getResource() + " (in " + executionArn + ")");
      }
      JsonNode output;
      try {
        output = handler.apply(Json.parse(task.getInput()));
      } catch (TaskFailure failure) {
        return failed(task, failure.error(), failure.cause());
      } catch (RuntimeException e) {
        // As AWS Lambda reports an unhandled exception: its type is the error, its message the cause.
        return failed(task, e.getClass().getSimpleName(), Objects.requireNonNullElse(e.getMessage(), ""));
      }
      return command().setReportTaskSucceeded(ReportTaskSucceeded.newBuilder()
          .setTaskToken(task.getTaskToken())
          .setOutput(output == null ? "null" : Json.write(output))).build();
    }

    private Command failed(DispatchTask task, String error, String cause) {
      return command().setReportTaskFailed(ReportTaskFailed.newBuilder()
          .setTaskToken(task.getTaskToken()).setError(error).setCause(cause)).build();
    }

    private Command.Builder command() {
      return Command.newBuilder().setTimeMs(now).setExecutionArn(executionArn);
    }
  }

  /** Configures an {@link InMemoryDriver}. Not thread-safe; {@link #build()} copies what it needs. */
  public static final class Builder {

    private final Map<String, Function<JsonNode, JsonNode>> handlers = new HashMap<>();
    private final Map<String, Function<JsonNode, JsonNode>> stateHandlers = new HashMap<>();
    private Limits limits = Limits.DEFAULT;
    private String stateMachineName = DEFAULT_STATE_MACHINE_NAME;
    private long startTimeMs = DEFAULT_START_TIME_MS;
    private int maxSteps = DEFAULT_MAX_STEPS;

    private Builder() {}

    /**
     * Registers the handler of a Task state resource. The handler gets the task's effective input and
     * returns its result (null means JSON null); it fails the task by throwing {@link TaskFailure}.
     * Any other runtime exception fails the task too, with the exception's simple class name as the
     * error and its message as the cause, as AWS Lambda reports unhandled exceptions.
     *
     * @param resource the Resource ARN exactly as the definition writes it
     */
    public Builder task(String resource, Function<JsonNode, JsonNode> handler) {
      handlers.put(Objects.requireNonNull(resource), Objects.requireNonNull(handler));
      return this;
    }

    /**
     * Registers the handler of the Task states with this name (in any branch, iteration or child
     * execution), as {@link #task} does for a resource; a state's handler comes before its resource's.
     */
    public Builder stateTask(String stateName, Function<JsonNode, JsonNode> handler) {
      stateHandlers.put(Objects.requireNonNull(stateName), Objects.requireNonNull(handler));
      return this;
    }

    /** The interpreter's limits; default {@link Limits#DEFAULT}. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /** The name in the state machine ARN (and in the execution ARNs); default {@code "StateMachine"}. */
    public Builder stateMachineName(String name) {
      this.stateMachineName = Objects.requireNonNull(name);
      return this;
    }

    /** Epoch milliseconds at which every execution starts; default 2024-01-01T00:00:00Z. */
    public Builder startTimeMs(long startTimeMs) {
      this.startTimeMs = startTimeMs;
      return this;
    }

    /** The most commands one execution may take before {@code run} gives up; default 25,000. */
    public Builder maxSteps(int maxSteps) {
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be at least 1: " + maxSteps);
      }
      this.maxSteps = maxSteps;
      return this;
    }

    /** The driver. */
    public InMemoryDriver build() {
      return new InMemoryDriver(this);
    }
  }
}
