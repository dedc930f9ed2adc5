package io.stepstream.gateway.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.gateway.api.RandomIds;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.interpreter.TaskTokens;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.logging.ExecutionLogRecords;
import io.stepstream.asl.logging.ExpressLogging;
import io.stepstream.asl.logging.LoggingConfiguration;
import io.stepstream.asl.tracing.ExecutionTracing;
import io.stepstream.asl.tracing.SpanSink;
import io.stepstream.kafka.ExecutionLogDestinations;
import org.apache.kafka.common.header.Header;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Names;
import io.stepstream.gateway.api.Requests;
import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.gateway.throttle.Throttle;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.statemachine.StateMachineTargets;
import io.stepstream.kafka.CommandPublisher;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.Command;
import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * StartExecution, StartSyncExecution, StopExecution and the task result actions: the writes of an
 * execution.
 *
 * <p>What can be checked without the execution (the request's shape, the state machine, the input)
 * is checked here, at the edge, and a rejected request writes nothing. What needs the execution's
 * state (a name already taken, a task token no longer pending, an execution that does not exist) is
 * decided by its owner, the coordinator, and answered through {@link CommandRequests}. Commands are
 * stamped with the edge's clock and a random seed, so the coordinator stays deterministic.
 *
 * <p>StartSyncExecution runs here, where the request arrived, when it can: AWS runs synchronous
 * EXPRESS executions at most once and keeps no history of them, so one whose states need nothing
 * but the interpreter (no task for a worker, no wait, no map run, no child) runs to its end in the
 * gateway and answers at once; the events its state machine's logging level keeps are written to
 * the EXPRESS events topic afterwards, without holding the answer. An asynchronous EXPRESS
 * StartExecution runs here too when it can: AWS runs those at least once, so its answer waits only
 * until Kafka has acknowledged the records the coordinator would have written (its events batch and
 * its completion); the projection then folds them in like the coordinator's, and a read after the
 * answer waits for it as for any write. An execution that reaches a state needing more is started
 * again through the coordinator from its start command: the states run so far changed nothing
 * outside the interpreter, and the command's seed and time make the second run take the same path.
 */
public final class ExecutionActions {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExecutionActions.class);

  /** EXPRESS executions may run at most 5 minutes; a sync caller waits a little longer. */
  private static final long SYNC_WAIT_SECONDS = 5 * 60 + 30;

  private final CommandRequests requests;
  private final CommandPublisher commands;
  private final RecordWaiters<ReportCompletion> completions;
  private final Clock clock;
  private final Limits limits;
  private final Interpreter interpreter;
  private final Definitions definitions = new Definitions();
  private final ExpressLogging logging;
  private final String expressEventsTopic;
  private final String completionsTopic;
  private final Throttle throttle;
  private final ExecutionMetrics metrics;
  private final StateMachineTargets targets;
  /** Null when tracing is off. */
  private final ExecutionTracing tracing;
  /** Null to write no execution log records. */
  private final ExecutionLogDestinations logs;

  /**
   * @param requests writes that wait for the owner's decision
   * @param commands StartSyncExecution's start, which answers with the execution's completion instead;
   *     and the records of the EXPRESS executions that run here
   * @param completions the completions topic, for StartSyncExecution
   * @param topics where the records of the EXPRESS executions that run here go (EXPRESS events, completions)
   * @param throttle admits starts within the account's quotas
   * @param metrics counts the executions run here (EXPRESS ones that need only the interpreter)
   * @param spans where the spans of traced executions go; null when tracing is off
   * @param logs where execution log records go; null for none
   */
  public ExecutionActions(StateMachineRegistry registry, CommandRequests requests, CommandPublisher commands,
      RecordWaiters<ReportCompletion> completions, Arns arns, Clock clock, Limits limits, Topics topics,
      Throttle throttle, ExecutionMetrics metrics, SpanSink spans, ExecutionLogDestinations logs) {
    this.throttle = throttle;
    this.metrics = metrics;
    this.tracing = spans == null ? null : new ExecutionTracing(arn -> registry.find(arn).orElse(null), spans);
    this.logs = logs;
    this.interpreter = new Interpreter(limits);
    this.logging = new ExpressLogging(arn -> registry.find(arn).orElse(null));
    this.expressEventsTopic = topics.expressEvents();
    this.completionsTopic = topics.completions();
    // AWS picks an alias's version per execution by a random draw against its weights.
    this.targets = new StateMachineTargets(registry, arns, () -> ThreadLocalRandom.current().nextInt(100));
    this.requests = requests;
    this.commands = commands;
    this.completions = completions;
    this.clock = clock;
    this.limits = limits;
  }

  /**
   * StartExecution. A STANDARD execution, and an EXPRESS one that needs more than the interpreter,
   * is started by the coordinator: the answer comes once it has started the execution (or found the
   * same request again: the same name and input while it runs). An EXPRESS execution that needs only
   * the interpreter runs here to its end, and the answer comes once its records (the events topic's,
   * which the projection folds into its summary, and its completion) are acknowledged by Kafka: at
   * least once, as AWS runs asynchronous EXPRESS executions, and known to every later read.
   */
  public CompletableFuture<ObjectNode> start(ObjectNode request) {
    return prepare(request).thenCompose(start -> {
      String machineArn = start.machine().getArn();
      throttle.admitStart(start.type(), machineArn);
      if (start.type() == WorkflowType.EXPRESS) {
        Optional<Ran> here = runHere(start);
        if (here.isPresent()) {
          return record(start, here.get())
              .whenComplete((ignored, error) -> {
                if (error != null) {
                  throttle.countIfShed(error, machineArn);
                }
              })
              .thenApply(ignored -> startResponse(start, start.command().getTimeMs()));
        }
      }
      return requests.send(start.command().toBuilder())
          .whenComplete((reply, error) -> {
            if (error != null) {
              throttle.countIfShed(error, machineArn);
            }
          })
          .thenApply(reply -> startResponse(start, reply.getDateMs()));
    });
  }

  private static ObjectNode startResponse(Start start, long startDateMs) {
    return Json.object().put("executionArn", start.executionArn()).set("startDate", Requests.timestamp(startDateMs));
  }

  /**
   * Writes what the coordinator would have written for an asynchronous EXPRESS execution that ran
   * here: its events batch (logged events, and the execution-level ones as summary events) and its
   * completion, both keyed by the execution. Completes once Kafka has acknowledged both.
   */
  private CompletableFuture<Void> record(Start start, Ran ran) {
    return requests.write(() -> {
      // Admitted: counted, traced and logged here, on the caller's thread. Never in the write's
      // completion, which runs on the producer's I/O thread: a log record's send from there waits
      // for metadata that only that thread can fetch.
      counted(start, ran);
      return CompletableFuture.allOf(
          commands.send(expressEventsTopic, start.executionArn(), batch(start, ran, true).build().toByteArray()),
          commands.send(completionsTopic, start.executionArn(), ran.completion().toByteArray()));
    });
  }

  public CompletableFuture<ObjectNode> startSync(ObjectNode request) {
    return prepare(request).thenCompose(start -> {
      if (start.type() != WorkflowType.EXPRESS) {
        throw new ApiException("StateMachineTypeNotSupported",
            "This operation is not supported by this type of state machine");
      }
      throttle.admitSyncStart(start.machine().getArn());
      Optional<Ran> here = runHere(start);
      if (here.isPresent()) {
        counted(start, here.get());
        logSync(start, here.get());
        return CompletableFuture.completedFuture(syncResponse(start, here.get().completion()));
      }
      CompletableFuture<ReportCompletion> done = completions.await(start.executionArn());
      return commands.send(start.command())
          .thenCompose(ignored -> done.copy().orTimeout(SYNC_WAIT_SECONDS, TimeUnit.SECONDS))
          .whenComplete((result, error) -> completions.forget(start.executionArn()))
          .thenApply(completion -> syncResponse(start, completion));
    });
  }

  /** An EXPRESS execution that ran to its end here: its run and its completion. */
  private record Ran(Step step, ReportCompletion completion) {}

  /**
   * Runs an EXPRESS execution in this gateway if it ends without anything but the interpreter; empty
   * when it needs the coordinator. Nothing is counted, traced or logged yet ({@link #counted}).
   */
  private Optional<Ran> runHere(Start start) {
    StartExecution started = start.command().getStartExecution();
    StateMachineDefinition definition = definitions.get(started.getStateMachineArn(),
        started.getStateMachineRevision(), key -> start.machine());
    if (definition == null) {
      return Optional.empty();
    }
    Step step = interpreter.start(start.command(), definition, start.input());
    if (step.rejected() || step.state().getStatus() == ExecutionStatus.RUNNING) {
      return Optional.empty();
    }
    ReportCompletion completion = null;
    for (Effect effect : step.effects()) {
      switch (effect.getKindCase()) {
        case REPORT_COMPLETION -> completion = effect.getReportCompletion();
        // The execution's time limit, started and cancelled within this run.
        case START_TIMER, CANCEL_TIMER -> { }
        default -> {
          return Optional.empty();
        }
      }
    }
    if (completion == null) {
      return Optional.empty();
    }
    return Optional.of(new Ran(step, completion));
  }

  /** What the EXPRESS coordinator would write to the events topic for an execution that ran here. */
  private HistoryEventBatch.Builder batch(Start start, Ran ran, boolean summarized) {
    return logging.batch(start.command(), start.command().getStartExecution().getStateMachineArn(),
        ran.step().events(), summarized);
  }

  /**
   * Counts, traces and logs an execution that ran here, as the coordinator does the ones it runs:
   * once it is accepted (a synchronous one at once, an asynchronous one once the bound on pending
   * writes admitted its records).
   */
  private void counted(Start start, Ran ran) {
    metrics.recorded(ran.step().state(), ran.step().events());
    observe(start, ran.step());
  }

  /**
   * The events of a synchronous execution that ran here that its state machine's logging level
   * keeps, written to the EXPRESS events topic without holding the answer (AWS keeps no history of
   * synchronous executions; a failed write is logged).
   */
  private void logSync(Start start, Ran ran) {
    HistoryEventBatch.Builder logged = batch(start, ran, false);
    if (logged.getEventsCount() == 0) {
      return;
    }
    commands.send(expressEventsTopic, start.executionArn(), logged.build().toByteArray()).whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.warn("The log of {} was not written: {}", start.executionArn(), error.toString());
      }
    });
  }

  /** The spans and log records of a synchronous execution that ran here (as the coordinator writes them). */
  private void observe(Start start, Step step) {
    if (tracing != null) {
      tracing.observe(ExecutionState.getDefaultInstance(), step.state(), step.events(), start.command().getTimeMs());
    }
    if (logs == null) {
      return;
    }
    LoggingConfiguration configuration = logging.configuration(start.machine().getArn());
    List<String> records = ExecutionLogRecords.records(configuration, start.executionArn(), 0, step.events());
    if (records.isEmpty()) {
      return;
    }
    switch (logs.destination(configuration.logGroupName())) {
      case ExecutionLogDestinations.Topic topic -> {
        List<Header> headers = List.of(ExecutionLogDestinations.logGroupHeader(configuration.logGroupName()));
        for (String record : records) {
          commands.send(topic.name(), start.executionArn(), record.getBytes(StandardCharsets.UTF_8), headers)
              .whenComplete((ignored, error) -> {
                if (error != null) {
                  LOG.warn("A log record of {} was not written: {}", start.executionArn(), error.toString());
                }
              });
        }
      }
      case ExecutionLogDestinations.Lines lines -> lines.write(records);
    }
  }

  /** StopExecution: answers with the stop date once the owner has stopped it (or found it stopped). */
  public CompletableFuture<ObjectNode> stop(ObjectNode request) {
    String executionArn = requireExecutionArn(request).value();
    StopExecution.Builder stop = StopExecution.newBuilder();
    Optional.ofNullable(Requests.optionalString(request, "error")).ifPresent(stop::setError);
    Optional.ofNullable(Requests.optionalString(request, "cause")).ifPresent(stop::setCause);
    return requests.send(Command.newBuilder().setTimeMs(clock.millis()).setExecutionArn(executionArn)
            .setStopExecution(stop))
        .thenApply(reply -> Json.object().set("stopDate", Requests.timestamp(reply.getDateMs())));
  }

  public CompletableFuture<ObjectNode> sendTaskSuccess(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    String output = Requests.requiredString(request, "output");
    requireJson(output, "InvalidOutput", "Invalid Output: not valid JSON");
    return report(token, Command.newBuilder()
        .setReportTaskSucceeded(ReportTaskSucceeded.newBuilder().setTaskToken(token).setOutput(output)));
  }

  public CompletableFuture<ObjectNode> sendTaskFailure(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    ReportTaskFailed.Builder failed = ReportTaskFailed.newBuilder().setTaskToken(token);
    Optional.ofNullable(Requests.optionalString(request, "error")).ifPresent(failed::setError);
    Optional.ofNullable(Requests.optionalString(request, "cause")).ifPresent(failed::setCause);
    return report(token, Command.newBuilder().setReportTaskFailed(failed));
  }

  public CompletableFuture<ObjectNode> sendTaskHeartbeat(ObjectNode request) {
    String token = Requests.requiredString(request, "taskToken");
    return report(token, Command.newBuilder()
        .setReportTaskHeartbeat(ReportTaskHeartbeat.newBuilder().setTaskToken(token)));
  }

  /** Reports on a task token's execution; its owner answers TaskTimedOut when the token no longer waits. */
  private CompletableFuture<ObjectNode> report(String token, Command.Builder command) {
    String executionArn = TaskTokens.executionArn(token);
    if (executionArn == null || ExecutionArn.parse(executionArn).isEmpty()) {
      throw ApiErrors.invalidToken(token);
    }
    return requests.send(command.setTimeMs(clock.millis()).setExecutionArn(executionArn))
        .thenApply(ignored -> Json.object());
  }

  /** A checked start: its command, and its input already parsed (for an execution run here). */
  private record Start(String executionArn, WorkflowType type, String name, StateMachineRecord machine, Command command,
      JsonNode input) {}

  /**
   * Checks a start request and builds its command. The state machine ARN may name a version or an
   * alias ({@link StateMachineTargets}); one created a moment ago on another instance is found.
   */
  private CompletableFuture<Start> prepare(ObjectNode request) {
    return targets.forStart(Requests.requiredString(request, "stateMachineArn"))
        .thenApply(target -> prepare(request, target));
  }

  private Start prepare(ObjectNode request, StateMachineTargets.Target target) {
    StateMachineRecord machine = target.machine();
    String machineArn = machine.getArn();
    String name = Requests.optionalString(request, "name");
    if (name == null) {
      name = RandomIds.uuid();
    } else {
      Names.require(name);
    }
    String input = Requests.optionalString(request, "input");
    if (input == null) {
      input = "{}";
    }
    if (limits.exceedsPayload(input)) {
      throw new ApiException("ValidationException", "1 validation error detected: Value at 'input' failed to satisfy "
          + "constraint: Member must have length less than or equal to " + limits.maxPayloadBytes());
    }
    JsonNode parsed = requireJson(input, "InvalidExecutionInput", "Invalid State Machine Execution Input: 'not valid JSON'");
    String executionArn = (machine.getType() == WorkflowType.EXPRESS
        ? ExecutionArn.express(machineArn, name, RandomIds.uuid())
        : ExecutionArn.standard(machineArn, name)).value();
    Command command = Command.newBuilder().setTimeMs(clock.millis()).setExecutionArn(executionArn)
        .setStartExecution(StartExecution.newBuilder().setName(name).setStateMachineArn(machineArn)
            .setStateMachineRevision(machine.getRevision()).setType(machine.getType()).setInput(input)
            .setRoleArn(machine.getRoleArn()).setSeed(ThreadLocalRandom.current().nextLong())
            .setTraceHeader(orEmpty(Requests.optionalString(request, "traceHeader")))
            .setStateMachineVersionArn(target.versionArn()).setStateMachineAliasArn(target.aliasArn()))
        .build();
    return new Start(executionArn, machine.getType(), name, machine, command, parsed);
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

  /** The request's {@code executionArn}, checked as AWS checks it. */
  public static ExecutionArn requireExecutionArn(ObjectNode request) {
    String arn = Requests.requiredString(request, "executionArn");
    return ExecutionArn.parse(arn).orElseThrow(() -> ApiErrors.invalidArn("Invalid Arn: '" + arn + "'"));
  }

  private static JsonNode requireJson(String text, String errorType, String message) {
    try {
      return Json.parse(text);
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
