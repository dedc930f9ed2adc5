package io.stepstream.worker.internals;

import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.proto.ReportCompletion;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineTarget;
import io.stepstream.proto.Command;
import io.stepstream.proto.ParentTask;
import io.stepstream.proto.StartExecution;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StopExecution;
import io.stepstream.proto.WorkflowType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Nested executions, {@code arn:aws:states:::states:startExecution} and its {@code .sync},
 * {@code .sync:2} and {@code .waitForTaskToken} forms: starts the child with a StartExecution
 * command on its commands topic. For {@code .sync} the command names the waiting task, and the
 * child's coordinator reports the child's end to it ({@code NestedExecutionResult}: AWS's
 * DescribeExecution-shaped result; a failed, timed out or aborted child fails the task with
 * {@code States.TaskFailed}), so the result does not depend on this worker being alive then.
 *
 * <p>{@code StateMachineArn} may name a version or an alias, as in a client's StartExecution: the
 * child runs that version and records it (and the alias), and its ARN is built from the state
 * machine's name. The child's name defaults to a UUID derived from the task's idempotency key, and
 * so does an alias's draw, so a redelivered task starts the same child on the same version (a second
 * StartExecution of a running execution changes nothing).
 * While waiting, the parent's own end (aborted, timed out, failed elsewhere) or the task's timeout
 * stops the child.
 */
public final class NestedExecutionResource implements TaskResource {

  /** The resource ARN without its integration pattern. */
  public static final String RESOURCE = "arn:aws:states:::states:startExecution";
  /** The longest a lookup that missed waits for the registry copy to read the topic to its end. */
  private static final Duration CATCH_UP = Duration.ofSeconds(5);

  private final StateMachineCatalog catalog;
  private final RecordWaiters<ReportCompletion> completions;

  public NestedExecutionResource(StateMachineCatalog catalog, RecordWaiters<ReportCompletion> completions) {
    this.catalog = catalog;
    this.completions = completions;
  }

  @Override
  public String concurrencyKey(Invocation invocation, JsonNode parameters) {
    return RESOURCE;
  }

  @Override
  public Outcome run(Invocation invocation, JsonNode parameters) throws InterruptedException {
    String pattern = TaskResourceArn.pattern(invocation.task().getResource());
    String machineArn = parameters.path("StateMachineArn").asText("");
    Optional<Resolved> resolved = resolve(machineArn, invocation.idempotencyKey());
    if (resolved.isEmpty()) {
      return refused("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + machineArn + "'");
    }
    StateMachineTarget target = resolved.get().target();
    StateMachineRecord machine = resolved.get().revision();
    String input = input(parameters);
    byte[] key = invocation.idempotencyKey().getBytes(StandardCharsets.UTF_8);
    String name = parameters.path("Name").isTextual() ? parameters.get("Name").asText()
        : UUID.nameUUIDFromBytes(key).toString();
    // The child is named after the state machine, whichever version or alias it runs, as on AWS.
    String childArn = (machine.getType() == WorkflowType.EXPRESS
        ? ExecutionArn.express(target.stateMachineArn(), name, UUID.nameUUIDFromBytes(
            (invocation.idempotencyKey() + "#express").getBytes(StandardCharsets.UTF_8)).toString())
        : ExecutionArn.standard(target.stateMachineArn(), name)).value();
    boolean sync = pattern.startsWith(".sync");
    CompletableFuture<ReportCompletion> child = sync ? completions.await(childArn) : null;
    CompletableFuture<ReportCompletion> parent = sync ? completions.await(invocation.executionArn()) : null;
    long startTime = invocation.commands().clock().millis();
    Command.Builder start = Command.newBuilder().setTimeMs(startTime).setExecutionArn(childArn)
        .setStartExecution(StartExecution.newBuilder().setName(name).setStateMachineArn(target.stateMachineArn())
            .setStateMachineRevision(target.revision()).setType(machine.getType()).setInput(input)
            .setStateMachineVersionArn(target.versionArn()).setStateMachineAliasArn(target.aliasArn())
            .setRoleArn(machine.getRoleArn()).setTraceHeader(invocation.traceparent()).setSeed(ByteBuffer.wrap(UUID.nameUUIDFromBytes(key).toString()
                .getBytes(StandardCharsets.UTF_8)).getLong()));
    if (sync) {
      // The child's coordinator reports its end to this task, in the transaction of that end: no
      // worker needs to be there when it happens (a worker restarted meanwhile misses nothing).
      start.getStartExecutionBuilder().setParentTask(ParentTask.newBuilder()
          .setExecutionArn(invocation.executionArn()).setTaskToken(invocation.task().getTaskToken())
          .setJson(pattern.equals(".sync:2")));
    }
    await(invocation.commands().send(start));
    if (pattern.equals(".waitForTaskToken")) {
      return Outcome.SILENT;
    }
    if (!sync) {
      return started(childArn, startTime);
    }
    ReportCompletion done;
    try {
      Object first = CompletableFuture.anyOf(child, parent).get();
      done = (ReportCompletion) first;
    } catch (InterruptedException e) {
      // The parent's task timed out: the child must not outlive it. A worker that stops leaves the
      // child running: its end reaches the parent without this worker.
      if (!invocation.isAbandoned()) {
        stop(invocation, childArn, "States.Timeout", "The parent's task ended");
      }
      completions.forget(childArn);
      completions.forget(invocation.executionArn());
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (!done.getExecutionArn().equals(childArn) && !child.isDone()) {
      stop(invocation, childArn, "States.Aborted", "The parent execution " + invocation.executionArn() + " ended");
    }
    completions.forget(childArn);
    completions.forget(invocation.executionArn());
    // The result reaches the parent from the child's coordinator (StartExecution.parent_task); this
    // wait only stops the child when the parent ends first.
    return Outcome.SILENT;
  }

  /** The child's input: the {@code Input} parameter, as JSON text (a string is the text itself); {@code {}} without one. */
  public static String input(JsonNode parameters) {
    JsonNode input = parameters.get("Input");
    return input == null || input.isNull() ? "{}" : input.isTextual() ? input.asText() : Json.write(input);
  }

  /** The result of a request-response start ({@code startExecution} without a pattern): StartExecution's response. */
  public static Outcome.Succeeded started(String executionArn, long startDateMs) {
    return new Outcome.Succeeded(Json.write(Json.object().put("ExecutionArn", executionArn)
        .put("StartDate", startDateMs)));
  }

  /**
   * How the task fails when Step Functions refuses the start, as the AWS SDK reports a refused call
   * (error {@code StepFunctions.<code>Exception}, the message with the service and status).
   *
   * @param errorCode the API's error code ({@code StateMachineDoesNotExist}, {@code ExecutionAlreadyExists}, ...)
   * @param message the API's message
   */
  public static Outcome.Failed refused(String errorCode, String message) {
    String exception = errorCode.endsWith("Exception") ? errorCode : errorCode + "Exception";
    return new Outcome.Failed("StepFunctions." + exception, message + " (Service: AWSStepFunctions; Status Code: 400; "
        + "Error Code: " + errorCode + ")");
  }

  /** What a nested start runs ({@link StateMachineTarget}), and the record of that revision (its role and type). */
  private record Resolved(StateMachineTarget target, StateMachineRecord revision) {}

  /**
   * Resolves the Task's {@code StateMachineArn} as a client's StartExecution would be, with the
   * gateway's rules ({@link StateMachineTarget#resolve}); an alias draws from the task's idempotency
   * key, so a task run twice starts the same child on the same version.
   *
   * @return empty when the state machine, its version or its alias does not exist
   */
  private Optional<Resolved> resolve(String text, String idempotencyKey) throws InterruptedException {
    Optional<QualifiedArn> arn = QualifiedArn.parse(text);
    if (arn.isEmpty()) {
      return Optional.empty();
    }
    Optional<StateMachineRecord> machine =
        catalog.find(arn.get().stateMachineArn(), m -> StateMachineTarget.isKnownBy(m, arn.get()), CATCH_UP);
    Optional<StateMachineTarget> target =
        machine.flatMap(m -> StateMachineTarget.resolve(m, arn.get(), () -> aliasDraw(idempotencyKey)));
    if (target.isEmpty()) {
      return Optional.empty();
    }
    if (target.get().isUnqualified()) {
      return Optional.of(new Resolved(target.get(), machine.get()));
    }
    // The registry writes a revision's record before the record naming it, so this is found.
    StateMachineRecord revision = catalog.findRevision(target.get().stateMachineArn(), target.get().revision())
        .orElseThrow(() -> new IllegalStateException("The registry has no record of revision "
            + target.get().revision() + " of " + target.get().stateMachineArn()));
    return Optional.of(new Resolved(target.get(), revision));
  }

  /**
   * The number in [0, 100) an alias draws for the child a task starts: a function of the task's
   * idempotency key, as the child's name and seed are, so the same task starts the same version
   * however often it runs, while different tasks spread over the alias's weights (32 bits of a
   * name-based UUID, reduced modulo 100: uniform to within one in forty million).
   */
  static int aliasDraw(String idempotencyKey) {
    long bits = UUID.nameUUIDFromBytes((idempotencyKey + "#alias").getBytes(StandardCharsets.UTF_8))
        .getLeastSignificantBits();
    return (int) (Integer.toUnsignedLong((int) bits) % 100);
  }

  private static void stop(Invocation invocation, String childArn, String error, String cause) throws InterruptedException {
    await(invocation.commands().send(Command.newBuilder().setExecutionArn(childArn)
        .setStopExecution(StopExecution.newBuilder().setError(error).setCause(cause))));
  }

  private static void await(CompletableFuture<Void> sent) throws InterruptedException {
    try {
      sent.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("A command was not written", e.getCause());
    }
  }
}
