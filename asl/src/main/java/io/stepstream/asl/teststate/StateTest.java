package io.stepstream.asl.teststate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.validation.DefinitionValidator;
import io.stepstream.asl.validation.Diagnostic;
import io.stepstream.asl.validation.ValidationResult;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FireTimer;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.RetryScheduledDetails;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import io.stepstream.proto.WorkflowType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * TestState: runs one state alone through the {@link Interpreter}, as the first and only state of
 * a small state machine, and answers as AWS's TestState answers (status, output, error, next state,
 * and at DEBUG/TRACE the data-flow steps).
 *
 * <p>The state machine around the state: an optional Pass state that assigns the request's
 * variables, the state itself, and a Succeed state for each state it may go to (so that its
 * transitions are valid; the run stops when the tested state exits, before any of them). A Task
 * state's work is its mock, or else one real invocation of its resource by the {@link TaskInvoker}
 * (as AWS invokes it), whose result or error goes back to the interpreter as a worker's would; a
 * resource the invoker cannot run, an integration pattern ({@code .sync}, {@code .waitForTaskToken})
 * or an activity needs a mock, as on AWS. Map and Parallel states need a mock too (as on AWS), and
 * they are then run as a Task with the same input and output processing. Wait states do not wait:
 * their timer fires at once. An error, mocked or real, runs through the state's Retry and Catch
 * rules: {@code retrierRetryCount} earlier failures with the same error are replayed first (the
 * resource is invoked once), so the backoff and the exhaustion of MaxAttempts are the interpreter's
 * own. An invocation that runs past the task's TimeoutSeconds fires the task's time-out timer, so
 * {@code States.Timeout} is the interpreter's too.
 *
 * <p>Pure and deterministic, like the interpreter, when every Task is mocked: time and seed come with
 * the request. Thread-safe; {@link #run} blocks while the invoker runs a resource.
 */
public final class StateTest {

  /** The state's name when the definition is one state; AWS names it so too. */
  public static final String SINGLE_STATE_NAME = "StateName";

  private static final String VARIABLES_STATE = "StepstreamTestStateVariables";
  private static final String MOCK_RESOURCE = "arn:aws:states:::stepstream:testState.mock";
  private static final Set<String> TESTABLE = Set.of("Task", "Wait", "Pass", "Succeed", "Fail", "Choice");
  private static final Set<String> MOCKABLE = Set.of("Task", "Map", "Parallel");
  /** Fields of a Map or Parallel state that a Task state does not have; dropped when it runs as one. */
  private static final Set<String> CONTAINER_FIELDS = Set.of("Branches", "Iterator", "ItemProcessor", "ItemsPath",
      "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath",
      "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
      "ToleratedFailurePercentagePath", "Label", "Parameters");
  /** A run of one state ends long before this; a bound against a bug looping forever. */
  private static final int MAX_STEPS = 10_000;

  private final Interpreter interpreter;
  private final TaskInvoker invoker;

  /** A tester that runs Task states only with a mock. */
  public StateTest(Limits limits) {
    this(limits, TaskInvoker.NONE);
  }

  /** A tester that invokes the resource of a Task state without a mock through {@code invoker}. */
  public StateTest(Limits limits, TaskInvoker invoker) {
    this.interpreter = new Interpreter(limits);
    this.invoker = invoker;
  }

  /**
   * The answer to a TestState request, or why it is refused.
   *
   * @param response TestState's response members ({@code status}, {@code output}, ...), or null when refused
   * @param rejection an AWS-shaped error (InvalidDefinition, InvalidExecutionInput, ValidationException), or null
   */
  public record Outcome(ObjectNode response, Step.Rejection rejection) {
    static Outcome rejected(String type, String message) {
      return new Outcome(null, new Step.Rejection(type, message));
    }
  }

  /** Runs the request's state; never throws for bad input (that is a rejection). */
  public Outcome run(TestStateRequest request) {
    JsonNode definition;
    try {
      definition = Json.parse(request.definition());
    } catch (Json.InvalidJsonException e) {
      return invalidDefinition(DefinitionValidator.validate(request.definition()));
    }
    String name;
    ObjectNode state;
    String queryLanguage;
    if (request.stateName() != null) {
      Outcome invalid = invalidDefinition(DefinitionValidator.validate(request.definition()));
      if (invalid != null) {
        return invalid;
      }
      name = request.stateName();
      if (!(definition.path("States").get(name) instanceof ObjectNode found)) {
        return Outcome.rejected("ValidationException", "State '" + name + "' does not exist in the definition");
      }
      state = found.deepCopy();
      queryLanguage = definition.path("QueryLanguage").asText("JSONPath");
    } else {
      if (!(definition instanceof ObjectNode found)) {
        return Outcome.rejected("InvalidDefinition",
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The state definition must be a JSON object'");
      }
      name = SINGLE_STATE_NAME;
      state = found.deepCopy();
      queryLanguage = "JSONPath";
    }
    if (!state.has("QueryLanguage")) {
      state.put("QueryLanguage", queryLanguage);
    }
    JsonNode input;
    try {
      input = Json.parse(request.input() == null ? "{}" : request.input());
    } catch (Json.InvalidJsonException e) {
      return Outcome.rejected("InvalidExecutionInput", "Invalid State Machine Execution Input: 'not valid JSON'");
    }
    ObjectNode variables = Json.object();
    if (request.variables() != null) {
      try {
        if (!(Json.parse(request.variables()) instanceof ObjectNode given)) {
          return Outcome.rejected("ValidationException", "Variables must be a JSON object");
        }
        variables = given;
      } catch (Json.InvalidJsonException e) {
        return Outcome.rejected("ValidationException", "Variables must be valid JSON");
      }
    }
    ObjectNode wrapper = wrapper(name, state, variables);
    if (request.stateName() == null) {
      Outcome invalid = invalidDefinition(DefinitionValidator.validate(wrapper));
      if (invalid != null) {
        return invalid;
      }
    }
    String type = state.path("Type").asText();
    Outcome refused = checkMock(request, type, state);
    if (refused != null) {
      return refused;
    }
    if (!type.equals("Task")) {
      ObjectNode runnable = state.deepCopy();
      if (MOCKABLE.contains(type)) {
        // Map and Parallel run as a Task with the same input and output processing: the mock is their result.
        runnable.remove(CONTAINER_FIELDS);
        runnable.put("Type", "Task");
        runnable.put("Resource", MOCK_RESOURCE);
      }
      ((ObjectNode) wrapper.get("States")).set(name, runnable);
    }
    StateMachineDefinition compiled = DefinitionCompiler.compile(wrapper);
    Run run = new Run(request, name, compiled);
    run.drive(input);
    return new Outcome(new Answer(request, name, type, compiled, input, variables, run).response(), null);
  }

  /** AWS's refusals of a mock or of its absence; null when the request may run. */
  private Outcome checkMock(TestStateRequest request, String type, ObjectNode state) {
    TestStateRequest.Mock mock = request.mock();
    if (mock == null) {
      if (type.equals("Map") || type.equals("Parallel")) {
        return Outcome.rejected("InvalidDefinition", "TestState API does not support Map or Parallel states. "
            + "Supported state types include: " + "[Task, Wait, Pass, Succeed, Fail, Choice]");
      }
      if (type.equals("Task")) {
        if (request.roleArn() == null) {
          return Outcome.rejected("ValidationException", "RoleArn must be specified when testing a Task state");
        }
        return refusedResource(state.path("Resource").asText());
      }
      return null;
    }
    if (!MOCKABLE.contains(type)) {
      return Outcome.rejected("ValidationException", "State type '" + type + "' is not supported when a mock is specified");
    }
    if ((mock.result() == null) == (mock.error() == null)) {
      return Outcome.rejected("ValidationException",
          "A test mock should have only one of the following fields: [result, errorOutput].");
    }
    if (mock.result() == null) {
      return null;
    }
    JsonNode result;
    try {
      result = Json.parse(mock.result());
    } catch (Json.InvalidJsonException e) {
      return Outcome.rejected("ValidationException", "Mocked result must be valid JSON");
    }
    if (type.equals("Map") && state.has("ResultWriter") && !result.isObject()) {
      return Outcome.rejected("ValidationException", "Mocked result must be a JSON object.");
    }
    if ((type.equals("Map") && !state.has("ResultWriter") || type.equals("Parallel")) && !result.isArray()) {
      return Outcome.rejected("ValidationException", "Mocked result must be an array.");
    }
    if (type.equals("Parallel") && result.size() != state.path("Branches").size()) {
      return Outcome.rejected("ValidationException",
          "Mocked result must contain the same number of items as number of Parallel branches.");
    }
    return null;
  }

  /**
   * Why a Task state's resource cannot be invoked without a mock, or null when it can: AWS's
   * TestState supports activities and the {@code .sync} and {@code .waitForTaskToken} integration
   * patterns only with a mock; anything else is the invoker's to refuse.
   */
  private Outcome refusedResource(String resource) {
    if (TaskResourceArn.isActivity(resource)) {
      return Outcome.rejected("ValidationException", "TestState does not support Activity tasks when a mock is "
          + "not specified.");
    }
    String pattern = TaskResourceArn.pattern(resource);
    if (!pattern.isEmpty()) {
      return Outcome.rejected("ValidationException", "TestState does not support the " + pattern
          + " service integration pattern when a mock is not specified.");
    }
    String refusal = invoker.refusal(resource);
    return refusal == null ? null : Outcome.rejected("ValidationException", refusal);
  }

  /**
   * The state machine around the state: the variables' Pass state (when there are variables), the
   * state, and a Succeed state for each transition target.
   */
  private static ObjectNode wrapper(String name, ObjectNode state, ObjectNode variables) {
    ObjectNode machine = Json.object();
    ObjectNode states = Json.object();
    if (!variables.isEmpty()) {
      machine.put("StartAt", VARIABLES_STATE);
      // A JSONPath Pass state: its Assign values are literals (no field name of the request's variables ends in .$).
      states.set(VARIABLES_STATE, Json.object().put("Type", "Pass").put("QueryLanguage", "JSONPath")
          .put("Next", name).set("Assign", variables));
    } else {
      machine.put("StartAt", name);
    }
    states.set(name, state);
    for (String target : targets(state)) {
      if (!states.has(target)) {
        states.set(target, Json.object().put("Type", "Succeed"));
      }
    }
    machine.set("States", states);
    return machine;
  }

  /** Every state name the state may go to: Next, Default, each choice's and catcher's Next. */
  private static List<String> targets(JsonNode state) {
    List<String> targets = new ArrayList<>();
    addText(targets, state.get("Next"));
    addText(targets, state.get("Default"));
    for (JsonNode choice : state.path("Choices")) {
      addText(targets, choice.get("Next"));
    }
    for (JsonNode catcher : state.path("Catch")) {
      addText(targets, catcher.get("Next"));
    }
    return targets;
  }

  private static void addText(List<String> into, JsonNode value) {
    if (value != null && value.isTextual()) {
      into.add(value.textValue());
    }
  }

  private static Outcome invalidDefinition(ValidationResult result) {
    List<Diagnostic> errors = result.diagnostics().stream()
        .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    if (errors.isEmpty()) {
      return null;
    }
    return Outcome.rejected("InvalidDefinition", errors.stream().map(Diagnostic::render)
        .collect(Collectors.joining(", ", "Invalid State Machine Definition: '", "'")));
  }

  /**
   * One run: commands through the interpreter until the tested state exits, the execution ends, or
   * a retry is scheduled past the request's {@code retrierRetryCount}.
   */
  final class Run {

    private final TestStateRequest request;
    private final String name;
    private final StateMachineDefinition definition;
    final List<HistoryEvent> events = new ArrayList<>();
    ExecutionState state = ExecutionState.getDefaultInstance();
    /** The tested state's exit event, once it exited. */
    HistoryEvent exited;
    /** A retry scheduled past the replayed ones: the answer is RETRIABLE. */
    RetryScheduledDetails retry;
    /** How long that retry waits, in milliseconds. */
    long retryDelayMs;
    /** The first task the state dispatched: its input is the effective input. */
    DispatchTask dispatched;
    /**
     * What the state's task came to: the mock, or the one invocation of the resource (made at the first
     * dispatch; replayed retries fail with its error again). Null while nothing was dispatched.
     */
    TaskInvoker.Result work;
    int failures;
    /** The task time-out timers not cancelled yet, oldest first: an invocation that ran out of time fires the last. */
    private final List<TimerRef> taskTimeouts = new ArrayList<>();
    private long now;

    Run(TestStateRequest request, String name, StateMachineDefinition definition) {
      this.request = request;
      this.name = name;
      this.definition = definition;
      this.now = request.timeMs();
      TestStateRequest.Mock mock = request.mock();
      if (mock != null) {
        work = mock.error() != null ? TaskInvoker.Result.failed(mock.error(), mock.cause(), null, null)
            : TaskInvoker.Result.succeeded(mock.result(), null, null);
      }
    }

    /** Whether the task's work was an error or a time-out (mocked or real). */
    boolean workFailed() {
      return work != null && (work.error() != null || work.timedOut());
    }

    /** The error of the task's work ({@code States.Timeout} for a time-out); null unless {@link #workFailed()}. */
    String workError() {
      return work == null ? null : work.timedOut() ? StatesErrors.TIMEOUT : work.error();
    }

    /** The cause of the task's work's error; may be null. */
    String workCause() {
      return work == null || work.timedOut() ? null : work.cause();
    }

    void drive(JsonNode input) {
      ArrayDeque<DispatchTask> tasks = new ArrayDeque<>();
      List<TimerRef> timers = new ArrayList<>();
      String executionArn = request.executionArn();
      Command command = command().setStartExecution(StartExecution.newBuilder()
          .setName(executionArn.substring(executionArn.lastIndexOf(':') + 1))
          .setStateMachineArn(request.stateMachineArn())
          .setType(WorkflowType.EXPRESS)
          .setInput(Json.write(input))
          .setRoleArn(request.roleArn() == null ? "" : request.roleArn())
          .setSeed(request.seed())).build();
      for (int steps = 0; steps < MAX_STEPS; steps++) {
        Step step = interpreter.process(state, command, definition);
        if (step.rejected()) {
          throw new IllegalStateException("the interpreter refused " + command.getKindCase() + ": " + step.rejection());
        }
        state = step.state();
        RetryScheduledDetails scheduled = null;
        for (HistoryEvent event : step.events()) {
          events.add(event);
          if (event.hasRetryScheduledDetails() && event.getRetryScheduledDetails().getStateName().equals(name)) {
            scheduled = event.getRetryScheduledDetails();
          } else if (event.hasStateExitedEventDetails() && event.getStateExitedEventDetails().getName().equals(name)) {
            exited = event;
          }
        }
        for (Effect effect : step.effects()) {
          switch (effect.getKindCase()) {
            case DISPATCH_TASK -> {
              tasks.add(effect.getDispatchTask());
              if (dispatched == null) {
                dispatched = effect.getDispatchTask();
              }
            }
            case START_TIMER -> {
              TimerPurpose purpose = effect.getStartTimer().getTimer().getPurpose();
              // Wait and retry timers fire in turn; a task's time-out only when its invocation ran out of
              // time (a mock answers at once); the execution has no time limit here.
              if (purpose == TimerPurpose.WAIT_END || purpose == TimerPurpose.RETRY_BACKOFF) {
                timers.add(effect.getStartTimer().getTimer());
              } else if (purpose == TimerPurpose.TASK_TIMEOUT) {
                taskTimeouts.add(effect.getStartTimer().getTimer());
              }
            }
            case CANCEL_TIMER -> {
              String cancelled = effect.getCancelTimer().getTimerId();
              timers.removeIf(t -> t.getTimerId().equals(cancelled));
              taskTimeouts.removeIf(t -> t.getTimerId().equals(cancelled));
            }
            default -> { }
          }
        }
        if (exited != null || state.getStatus() != ExecutionStatus.RUNNING) {
          return;
        }
        if (scheduled != null && failures > request.retrierRetryCount()) {
          retry = scheduled;
          retryDelayMs = scheduled.getTimer().getDueTimeMs() - now;
          return;
        }
        command = next(tasks, timers);
      }
      throw new IllegalStateException("state " + name + " did not end within " + MAX_STEPS + " steps");
    }

    private Command next(ArrayDeque<DispatchTask> tasks, List<TimerRef> timers) {
      if (!tasks.isEmpty()) {
        DispatchTask task = tasks.poll();
        if (work == null) {
          work = invoker.invoke(task);
        }
        if (work.timedOut()) {
          failures++;
          if (!taskTimeouts.isEmpty()) {
            TimerRef timeout = taskTimeouts.remove(taskTimeouts.size() - 1);
            now = Math.max(now, timeout.getDueTimeMs());
            return command().setFireTimer(FireTimer.newBuilder().setTimerId(timeout.getTimerId())).build();
          }
          // No TimeoutSeconds: the invocation ran past TestState's own limit.
          return command().setReportTaskFailed(ReportTaskFailed.newBuilder().setTaskToken(task.getTaskToken())
              .setError(StatesErrors.TIMEOUT).setCause("The test ran for longer than TestState allows")).build();
        }
        if (work.error() != null) {
          failures++;
          return command().setReportTaskFailed(ReportTaskFailed.newBuilder().setTaskToken(task.getTaskToken())
              .setError(work.error()).setCause(work.cause() == null ? "" : work.cause())).build();
        }
        return command().setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(task.getTaskToken())
            .setOutput(work.output())).build();
      }
      if (timers.isEmpty()) {
        throw new IllegalStateException("state " + name + " waits on nothing");
      }
      TimerRef earliest = timers.get(0);
      for (TimerRef timer : timers) {
        if (timer.getDueTimeMs() < earliest.getDueTimeMs()) {
          earliest = timer;
        }
      }
      timers.remove(earliest);
      now = Math.max(now, earliest.getDueTimeMs());
      return command().setFireTimer(FireTimer.newBuilder().setTimerId(earliest.getTimerId())).build();
    }

    private Command.Builder command() {
      return Command.newBuilder().setTimeMs(now).setExecutionArn(request.executionArn());
    }

    /** The variables the state assigned when it exited, as JSON. */
    Map<String, JsonNode> assigned() {
      Map<String, JsonNode> assigned = new java.util.LinkedHashMap<>();
      if (exited != null) {
        exited.getStateExitedEventDetails().getAssignedVariablesMap()
            .forEach((variable, value) -> assigned.put(variable, Json.parse(value)));
      }
      return assigned;
    }
  }
}
