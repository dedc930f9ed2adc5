package io.stepstream.gateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.interpreter.Redrivability;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.RedriveExecution;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * RedriveExecution, and the redrive fields of DescribeExecution.
 *
 * <p>The execution is checked here ({@link Redrivability}) so that a refused request writes nothing;
 * the coordinator checks again when it processes the command, so two racing requests redrive once.
 */
public final class RedriveActions {

  private static final int MAX_CLIENT_TOKEN = 64;

  private final StateMachineRegistry registry;
  private final CommandPublisher commands;
  private final ExecutionReader executions;
  private final Clock clock;
  private final Forwarder forwarder;

  /** RedriveExecution of a single instance: it never forwards. */
  public RedriveActions(StateMachineRegistry registry, CommandPublisher commands, ExecutionReader executions, Clock clock) {
    this(registry, commands, executions, clock, null);
  }

  /**
   * RedriveExecution forwarded to the instance holding the execution when this one does not.
   *
   * @param forwarder reaches other instances; null never forwards
   */
  public RedriveActions(StateMachineRegistry registry, CommandPublisher commands, ExecutionReader executions,
      Clock clock, Forwarder forwarder) {
    this.forwarder = forwarder;
    this.registry = registry;
    this.commands = commands;
    this.executions = executions;
    this.clock = clock;
  }

  /** The same action answering from this instance only: the target of a forwarded {@code Internal.RedriveExecution}. */
  public RedriveActions local() {
    return forwarder == null ? this : new RedriveActions(registry, commands, executions, clock, null);
  }

  /** RedriveExecution: {@code executionArn}, optional {@code clientToken}; answers {@code redriveDate}. */
  public CompletableFuture<ObjectNode> redrive(ObjectNode request) {
    String executionArn = ExecutionActions.requireExecutionArn(request);
    String token = Requests.optionalString(request, "clientToken");
    if (token != null && (token.isEmpty() || token.length() > MAX_CLIENT_TOKEN)) {
      throw new ApiException("ValidationException", "1 validation error detected: Value at 'clientToken' failed to "
          + "satisfy constraint: Member must have length between 1 and " + MAX_CLIENT_TOKEN);
    }
    return Owners.withState(executions, forwarder, executionArn, "RedriveExecution", request, found -> redrive(
        executionArn, found.orElseThrow(() -> ExecutionActions.executionDoesNotExist(executionArn)), token));
  }

  private CompletableFuture<ObjectNode> redrive(String executionArn, ExecutionState state, String token) {
    if (token != null && token.equals(state.getRedriveClientToken())) {
      // A client retrying the same request gets the same answer, even if the execution moved on since.
      return CompletableFuture.completedFuture(Json.object().set("redriveDate", Requests.timestamp(state.getRedriveTimeMs())));
    }
    long now = clock.millis();
    String refusal = refusal(state, now);
    if (refusal != null) {
      throw new ApiException("ExecutionNotRedrivable", refusal);
    }
    Command command = Command.newBuilder().setTimeMs(now).setExecutionArn(executionArn)
        .setRedriveExecution(RedriveExecution.newBuilder().setClientToken(token == null ? "" : token)).build();
    return commands.send(false, command).thenApply(ignored -> Json.object().set("redriveDate", Requests.timestamp(now)));
  }

  /** Why the execution cannot be redriven now, in AWS's words; null when it can. */
  private String refusal(ExecutionState state, long now) {
    boolean machineGone = registry.find(state.getStateMachineArn()).map(r -> r.getDeleted()).orElse(true);
    return machineGone ? "State machine is in DELETING status." : Redrivability.refusal(state, now);
  }

  /**
   * Adds DescribeExecution's redrive fields: redriveCount, redriveDate (once redriven), redriveStatus
   * and, when not redrivable, redriveStatusReason.
   */
  public static void describeRedrive(ObjectNode response, ExecutionState state, long nowMs) {
    response.put("redriveCount", state.getRedriveCount());
    if (state.getRedriveCount() > 0) {
      response.set("redriveDate", Requests.timestamp(state.getRedriveTimeMs()));
    }
    String refusal = Redrivability.refusal(state, nowMs);
    response.put("redriveStatus", refusal == null ? "REDRIVABLE" : "NOT_REDRIVABLE");
    if (refusal != null) {
      response.put("redriveStatusReason", refusal);
    }
  }
}
