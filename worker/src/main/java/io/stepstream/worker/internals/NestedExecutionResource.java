package io.stepstream.worker.internals;

import io.stepstream.kafka.ExecutionArn;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.proto.ReportCompletion;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionStatus;
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
 * command on its commands topic; {@code .sync} waits on the completions topic for the child's end
 * and reports AWS's DescribeExecution-shaped result ({@code Output} as JSON text; {@code .sync:2}
 * parses {@code Input} and {@code Output}). A failed, timed out or aborted child fails the task with
 * {@code States.TaskFailed} and that result as the cause.
 *
 * <p>The child's name defaults to a UUID derived from the task's idempotency key, so a redelivered
 * task starts the same child (a second StartExecution of a running execution changes nothing).
 * While waiting, the parent's own end (aborted, timed out, failed elsewhere) or the task's timeout
 * stops the child.
 */
public final class NestedExecutionResource implements TaskResource {

  /** The resource ARN without its integration pattern. */
  public static final String RESOURCE = "arn:aws:states:::states:startExecution";

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
    String pattern = Resources.pattern(invocation.task().getResource());
    String machineArn = parameters.path("StateMachineArn").asText("");
    Optional<StateMachineRecord> found = catalog.find(machineArn, Duration.ofSeconds(5)).filter(r -> !r.getDeleted());
    if (found.isEmpty()) {
      return new Outcome.Failed("StepFunctions.StateMachineDoesNotExistException", "State Machine Does Not Exist: '"
          + machineArn + "' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist)");
    }
    StateMachineRecord machine = found.get();
    JsonNode inputNode = parameters.get("Input");
    String input = inputNode == null || inputNode.isNull() ? "{}"
        : inputNode.isTextual() ? inputNode.asText() : Json.write(inputNode);
    byte[] key = invocation.idempotencyKey().getBytes(StandardCharsets.UTF_8);
    String name = parameters.path("Name").isTextual() ? parameters.get("Name").asText()
        : UUID.nameUUIDFromBytes(key).toString();
    String childArn = (machine.getType() == WorkflowType.EXPRESS
        ? ExecutionArn.express(machineArn, name, UUID.nameUUIDFromBytes(
            (invocation.idempotencyKey() + "#express").getBytes(StandardCharsets.UTF_8)).toString())
        : ExecutionArn.standard(machineArn, name)).value();
    boolean sync = pattern.startsWith(".sync");
    CompletableFuture<ReportCompletion> child = sync ? completions.await(childArn) : null;
    CompletableFuture<ReportCompletion> parent = sync ? completions.await(invocation.executionArn()) : null;
    long startTime = invocation.commands().clock().millis();
    Command.Builder start = Command.newBuilder().setTimeMs(startTime).setExecutionArn(childArn)
        .setStartExecution(StartExecution.newBuilder().setName(name).setStateMachineArn(machineArn)
            .setStateMachineRevision(machine.getRevision()).setType(machine.getType()).setInput(input)
            .setRoleArn(machine.getRoleArn()).setSeed(ByteBuffer.wrap(UUID.nameUUIDFromBytes(key).toString()
                .getBytes(StandardCharsets.UTF_8)).getLong()));
    await(invocation.commands().send(start));
    if (pattern.equals(".waitForTaskToken")) {
      return Outcome.SILENT;
    }
    if (!sync) {
      return new Outcome.Succeeded(Json.write(Json.object().put("ExecutionArn", childArn).put("StartDate", startTime)));
    }
    ReportCompletion done;
    try {
      Object first = CompletableFuture.anyOf(child, parent).get();
      done = (ReportCompletion) first;
    } catch (InterruptedException e) {
      // The task timed out or the worker stops: the child must not outlive the wait.
      stop(invocation, childArn, "States.Timeout", "The parent's task ended");
      completions.forget(childArn);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (!done.getExecutionArn().equals(childArn) && !child.isDone()) {
      stop(invocation, childArn, "States.Aborted", "The parent execution " + invocation.executionArn() + " ended");
      completions.forget(childArn);
      return Outcome.SILENT;
    }
    ReportCompletion result = child.join();
    ObjectNode describe = describe(result, machineArn, name, input, pattern.equals(".sync:2"));
    if (result.getStatus() == ExecutionStatus.SUCCEEDED) {
      return new Outcome.Succeeded(Json.write(describe));
    }
    return new Outcome.Failed("States.TaskFailed", Json.write(describe));
  }

  private static void stop(Invocation invocation, String childArn, String error, String cause) throws InterruptedException {
    await(invocation.commands().send(Command.newBuilder().setExecutionArn(childArn)
        .setStopExecution(StopExecution.newBuilder().setError(error).setCause(cause))));
  }

  private static ObjectNode describe(ReportCompletion done, String machineArn, String name, String input, boolean json) {
    ObjectNode result = Json.object().put("ExecutionArn", done.getExecutionArn());
    if (json) {
      result.set("Input", Json.parse(input));
    } else {
      result.put("Input", input);
    }
    result.set("InputDetails", Json.object().put("Included", true));
    result.put("Name", name);
    if (done.getStatus() == ExecutionStatus.SUCCEEDED) {
      if (json) {
        result.set("Output", Json.parse(done.getOutput()));
      } else {
        result.put("Output", done.getOutput());
      }
      result.set("OutputDetails", Json.object().put("Included", true));
    } else {
      if (!done.getError().isEmpty()) {
        result.put("Error", done.getError());
      }
      if (!done.getCause().isEmpty()) {
        result.put("Cause", done.getCause());
      }
    }
    if (json) {
      result.put("RedriveCount", 0);
      result.put("RedriveStatus", "NOT_REDRIVABLE");
    }
    result.put("StartDate", done.getStartTimeMs());
    result.put("StateMachineArn", machineArn);
    result.put("Status", done.getStatus().name());
    result.put("StopDate", done.getStopTimeMs());
    return result;
  }

  private static void await(CompletableFuture<Void> sent) throws InterruptedException {
    try {
      sent.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("A command was not written", e.getCause());
    }
  }
}
