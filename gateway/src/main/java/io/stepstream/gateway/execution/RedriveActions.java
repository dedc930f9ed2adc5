package io.stepstream.gateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.interpreter.Redrivability;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.RedriveExecution;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * RedriveExecution, and the redrive fields of DescribeExecution.
 *
 * <p>The request and the state machine are checked here; whether the execution can be redriven
 * (and whether a client token repeats an earlier redrive) is decided by its owner, the coordinator,
 * so two racing requests redrive once and a refused one writes nothing.
 */
public final class RedriveActions {

  private static final int MAX_CLIENT_TOKEN = 64;

  private final StateMachineRegistry registry;
  private final CommandRequests requests;
  private final Clock clock;

  public RedriveActions(StateMachineRegistry registry, CommandRequests requests, Clock clock) {
    this.registry = registry;
    this.requests = requests;
    this.clock = clock;
  }

  /** RedriveExecution: {@code executionArn}, optional {@code clientToken}; answers {@code redriveDate}. */
  public CompletableFuture<ObjectNode> redrive(ObjectNode request) {
    ExecutionArn executionArn = ExecutionActions.requireExecutionArn(request);
    String token = Requests.optionalString(request, "clientToken");
    if (token != null && (token.isEmpty() || token.length() > MAX_CLIENT_TOKEN)) {
      throw new ApiException("ValidationException", "1 validation error detected: Value at 'clientToken' failed to "
          + "satisfy constraint: Member must have length between 1 and " + MAX_CLIENT_TOKEN);
    }
    if (registry.find(executionArn.stateMachineArn()).map(StateMachineRecord::getDeleted).orElse(false)) {
      throw new ApiException("ExecutionNotRedrivable", "State machine is in DELETING status.");
    }
    return requests.send(Command.newBuilder().setTimeMs(clock.millis()).setExecutionArn(executionArn.value())
            .setRedriveExecution(RedriveExecution.newBuilder().setClientToken(token == null ? "" : token)))
        .thenApply(reply -> Json.object().set("redriveDate", Requests.timestamp(reply.getDateMs())));
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
