package io.stepstream.gateway.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.TaskTokens;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Names;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskHeartbeat;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StopExecution;
import io.stepstream.proto.WorkflowType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * StartExecution, StartSyncExecution, StopExecution, DescribeExecution and the task result actions.
 *
 * <p>Everything is checked here, at the edge, before a command is written: a rejected request
 * writes nothing. Commands are stamped with the edge's clock and a random seed, so the coordinator
 * stays deterministic.
 *
 * <p>With several instances, an action that needs an execution's state (the duplicate check of a
 * named STANDARD start, StopExecution, DescribeExecution, the task result actions) is forwarded to
 * the instance whose coordinator holds it when this one does not; {@link #local()} answers the
 * forwarded {@code Internal.*} requests and never forwards again.
 */
public final class ExecutionActions {

  /** EXPRESS executions may run at most 5 minutes; a sync caller waits a little longer. */
  private static final long SYNC_WAIT_SECONDS = 5 * 60 + 30;

  private final StateMachineRegistry registry;
  private final CommandPublisher commands;
  private final ExecutionReader executions;
  private final Completions completions;
  private final Arns arns;
  private final Clock clock;
  private final Limits limits;
  private final Forwarder forwarder;

  /** Actions of a single instance: they never forward. */
  public ExecutionActions(StateMachineRegistry registry, CommandPublisher commands, ExecutionReader executions,
      Completions completions, Arns arns, Clock clock, Limits limits) {
    this(registry, commands, executions, completions, arns, clock, limits, null);
  }

  /**
   * Actions that forward a request to the instance holding its execution (see {@link ExecutionReader#remoteOwner}).
   *
   * @param forwarder reaches other instances; null never forwards
   */
  public ExecutionActions(StateMachineRegistry registry, CommandPublisher commands, ExecutionReader executions,
      Completions completions, Arns arns, Clock clock, Limits limits, Forwarder forwarder) {
    this.forwarder = forwarder;
    this.registry = registry;
    this.commands = commands;
    this.executions = executions;
    this.completions = completions;
    this.arns = arns;
    this.clock = clock;
    this.limits = limits;
  }

  /** The same actions answering from this instance only: the {@code Internal.*} targets of forwarded requests. */
  public ExecutionActions local() {
    return forwarder == null ? this
        : new ExecutionActions(registry, commands, executions, completions, arns, clock, limits, null);
  }

  public CompletableFuture<ObjectNode> start(ObjectNode request) {
    Start start = prepare(request, false);
    if (start.type() != WorkflowType.STANDARD) {
      return publish(start);
    }
    // A generated name is new everywhere: only a chosen one can collide with an execution elsewhere.
    Forwarder via = Requests.optionalString(request, "name") == null ? null : forwarder;
    return Owners.withState(executions, via, start.executionArn(), "StartExecution", request, existing -> {
      if (existing.isPresent()) {
        ExecutionState state = existing.get();
        // AWS: the same name and input while it runs is the same request; anything else collides.
        if (state.getStatus() == ExecutionStatus.RUNNING
            && Json.parse(state.getInput()).equals(Json.parse(start.command().getStartExecution().getInput()))) {
          return CompletableFuture.completedFuture(Json.object().put("executionArn", state.getExecutionArn())
              .set("startDate", Requests.timestamp(state.getStartTimeMs())));
        }
        throw new ApiException("ExecutionAlreadyExists", "Execution Already Exists: '" + start.executionArn() + "'");
      }
      return publish(start);
    });
  }

  private CompletableFuture<ObjectNode> publish(Start start) {
    return commands.send(start.type() == WorkflowType.EXPRESS, start.command()).thenApply(ignored ->
        Json.object().put("executionArn", start.executionArn())
            .set("startDate", Requests.timestamp(start.command().getTimeMs())));
  }

  public CompletableFuture<ObjectNode> startSync(ObjectNode request) {
    Start start = prepare(request, true);
    if (start.type() != WorkflowType.EXPRESS) {
      throw new ApiException("StateMachineTypeNotSupported",
          "This operation is not supported by this type of state machine");
    }
    CompletableFuture<ReportCompletion> done = completions.await(start.executionArn());
    return commands.send(true, start.command())
        .thenCompose(ignored -> done.orTimeout(SYNC_WAIT_SECONDS, TimeUnit.SECONDS))
        .whenComplete((result, error) -> {
          if (error != null) {
            done.cancel(false);
          }
        })
        .thenApply(completion -> syncResponse(start, completion));
  }

  public CompletableFuture<ObjectNode> stop(ObjectNode request) {
    String executionArn = requireExecutionArn(request);
    return Owners.withState(executions, forwarder, executionArn, "StopExecution", request,
        found -> stop(request, executionArn, found.orElseThrow(() -> executionDoesNotExist(executionArn))));
  }

  private CompletableFuture<ObjectNode> stop(ObjectNode request, String executionArn, ExecutionState state) {
    long now = clock.millis();
    if (state.getStatus() != ExecutionStatus.RUNNING) {
      return CompletableFuture.completedFuture(Json.object().set("stopDate", Requests.timestamp(state.getStopTimeMs())));
    }
    StopExecution.Builder stop = StopExecution.newBuilder();
    Optional.ofNullable(Requests.optionalString(request, "error")).ifPresent(stop::setError);
    Optional.ofNullable(Requests.optionalString(request, "cause")).ifPresent(stop::setCause);
    Command command = Command.newBuilder().setTimeMs(now).setExecutionArn(executionArn).setStopExecution(stop).build();
    return commands.send(isExpress(executionArn), command)
        .thenApply(ignored -> Json.object().set("stopDate", Requests.timestamp(now)));
  }

  public CompletableFuture<ObjectNode> describe(ObjectNode request) {
    String executionArn = requireExecutionArn(request);
    return Owners.withState(executions, forwarder, executionArn, "DescribeExecution", request,
        found -> CompletableFuture.completedFuture(
            describe(found.orElseThrow(() -> executionDoesNotExist(executionArn)), clock.millis())));
  }

  public CompletableFuture<ObjectNode> sendTaskSuccess(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    String output = Requests.requiredString(request, "output");
    requireJson(output, "InvalidOutput", "Invalid Output: not valid JSON");
    return onPendingTask(token, "SendTaskSuccess", request, executionArn -> send(executionArn,
        Command.newBuilder().setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(token).setOutput(output))));
  }

  public CompletableFuture<ObjectNode> sendTaskFailure(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    ReportTaskFailed.Builder failed = ReportTaskFailed.newBuilder().setTaskToken(token);
    Optional.ofNullable(Requests.optionalString(request, "error")).ifPresent(failed::setError);
    Optional.ofNullable(Requests.optionalString(request, "cause")).ifPresent(failed::setCause);
    return onPendingTask(token, "SendTaskFailure", request,
        executionArn -> send(executionArn, Command.newBuilder().setReportTaskFailed(failed)));
  }

  public CompletableFuture<ObjectNode> sendTaskHeartbeat(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    return onPendingTask(token, "SendTaskHeartbeat", request, executionArn -> send(executionArn,
        Command.newBuilder().setReportTaskHeartbeat(ReportTaskHeartbeat.newBuilder().setTaskToken(token))));
  }

  private CompletableFuture<ObjectNode> send(String executionArn, Command.Builder command) {
    return commands.send(isExpress(executionArn), command.setTimeMs(clock.millis()).setExecutionArn(executionArn).build())
        .thenApply(ignored -> Json.object());
  }

  /** Reports on the execution of a task token that still waits for its result; else the AWS error. */
  private CompletableFuture<ObjectNode> onPendingTask(String token, String action, ObjectNode request,
      Function<String, CompletableFuture<ObjectNode>> report) {
    String executionArn = TaskTokens.executionArn(token);
    if (executionArn == null) {
      throw ApiErrors.invalidToken(token);
    }
    return Owners.withState(executions, forwarder, executionArn, action, request, found -> {
      ExecutionState state = found.orElseThrow(() -> new ApiException("TaskDoesNotExist", "Task does not exist anymore"));
      if (!TaskTokens.isPending(state, token)) {
        throw new ApiException("TaskTimedOut", "Task Timed Out: '" + token + "'");
      }
      return report.apply(executionArn);
    });
  }

  private record Start(String executionArn, WorkflowType type, String name, StateMachineRecord machine, Command command) {}

  private Start prepare(ObjectNode request, boolean sync) {
    String machineArn = arns.requireStateMachine(Requests.requiredString(request, "stateMachineArn"));
    StateMachineRecord machine = registry.find(machineArn).filter(r -> !r.getDeleted())
        .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(machineArn));
    String name = Requests.optionalString(request, "name");
    if (name == null) {
      name = UUID.randomUUID().toString();
    } else {
      Names.require(name);
    }
    String input = Requests.optionalString(request, "input");
    if (input == null) {
      input = "{}";
    }
    if (input.getBytes(StandardCharsets.UTF_8).length > limits.maxPayloadBytes()) {
      throw new ApiException("ValidationException", "1 validation error detected: Value at 'input' failed to satisfy "
          + "constraint: Member must have length less than or equal to " + limits.maxPayloadBytes());
    }
    requireJson(input, "InvalidExecutionInput", "Invalid State Machine Execution Input: 'not valid JSON'");
    String executionArn = machine.getType() == WorkflowType.EXPRESS
        ? machineArn.replace(":stateMachine:", ":express:") + ":" + name + ":" + UUID.randomUUID()
        : machineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    Command command = Command.newBuilder().setTimeMs(clock.millis()).setExecutionArn(executionArn)
        .setStartExecution(StartExecution.newBuilder().setName(name).setStateMachineArn(machineArn)
            .setStateMachineRevision(machine.getRevision()).setType(machine.getType()).setInput(input)
            .setRoleArn(machine.getRoleArn()).setSeed(ThreadLocalRandom.current().nextLong())
            .setTraceHeader(orEmpty(Requests.optionalString(request, "traceHeader"))))
        .build();
    return new Start(executionArn, machine.getType(), name, machine, command);
  }

  private ObjectNode syncResponse(Start start, ReportCompletion completion) {
    ObjectNode response = Json.object()
        .put("executionArn", start.executionArn())
        .put("stateMachineArn", start.machine().getArn())
        .put("name", start.name());
    response.set("startDate", Requests.timestamp(completion.getStartTimeMs()));
    response.set("stopDate", Requests.timestamp(completion.getStopTimeMs()));
    response.put("status", completion.getStatus().name());
    response.put("input", start.command().getStartExecution().getInput());
    response.set("inputDetails", Json.object().put("included", true));
    if (completion.getStatus() == ExecutionStatus.SUCCEEDED) {
      response.put("output", completion.getOutput());
      response.set("outputDetails", Json.object().put("included", true));
    } else {
      putIfNotEmpty(response, "error", completion.getError());
      putIfNotEmpty(response, "cause", completion.getCause());
    }
    long millis = Math.max(0, completion.getStopTimeMs() - completion.getStartTimeMs());
    response.set("billingDetails", Json.object().put("billedMemoryUsedInMB", 64).put("billedDurationInMilliseconds",
        Math.max(100, (millis + 99) / 100 * 100)));
    return response;
  }

  static ObjectNode describe(ExecutionState state, long nowMs) {
    ObjectNode response = Json.object()
        .put("executionArn", state.getExecutionArn())
        .put("stateMachineArn", state.getStateMachineArn())
        .put("name", state.getName())
        .put("status", state.getStatus().name());
    response.set("startDate", Requests.timestamp(state.getStartTimeMs()));
    if (state.getStatus() != ExecutionStatus.RUNNING) {
      response.set("stopDate", Requests.timestamp(state.getStopTimeMs()));
    }
    response.put("input", state.getInput());
    response.set("inputDetails", Json.object().put("included", true));
    if (state.getStatus() == ExecutionStatus.SUCCEEDED) {
      response.put("output", state.getOutput());
      response.set("outputDetails", Json.object().put("included", true));
    }
    putIfNotEmpty(response, "error", state.getError());
    putIfNotEmpty(response, "cause", state.getCause());
    RedriveActions.describeRedrive(response, state, nowMs);
    return response;
  }

  static String requireExecutionArn(ObjectNode request) {
    String arn = Requests.requiredString(request, "executionArn");
    String[] parts = arn.split(":", -1);
    if (parts.length < 8 || !"arn".equals(parts[0]) || !"states".equals(parts[2])
        || !("execution".equals(parts[5]) || "express".equals(parts[5]))) {
      throw ApiErrors.invalidArn("Invalid Arn: '" + arn + "'");
    }
    return arn;
  }

  private static boolean isExpress(String executionArn) {
    return executionArn.split(":", 7)[5].equals("express");
  }

  static ApiException executionDoesNotExist(String arn) {
    return new ApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }

  private static void requireJson(String text, String errorType, String message) {
    try {
      JsonNode ignored = Json.parse(text);
    } catch (Json.InvalidJsonException e) {
      throw new ApiException(errorType, message);
    }
  }

  private static void putIfNotEmpty(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
