package io.stepstream.gateway.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.proto.ExecutionState;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends a request that needs an execution's state to the instance whose coordinator holds it.
 *
 * <p>The local store is read first: on one instance, or when the execution is here, nothing else
 * is asked. Only a miss asks the group's metadata who holds the execution, and a request held by
 * another instance is forwarded there once, as {@code Internal.<Action>}, which never forwards again.
 */
final class Owners {

  private Owners() {
  }

  /**
   * Answers with the execution's state here, or forwards the whole request to its owner.
   *
   * @param forwarder reaches other instances; null when this request must be answered here
   * @param action the public action name, forwarded as {@code Internal.<action>}
   * @param local answers from the state here (empty when this instance has none)
   */
  static CompletableFuture<ObjectNode> withState(ExecutionReader executions, Forwarder forwarder, String executionArn,
      String action, ObjectNode request, Function<Optional<ExecutionState>, CompletableFuture<ObjectNode>> local) {
    Optional<ExecutionState> state = executions.find(executionArn);
    if (state.isEmpty() && forwarder != null) {
      Optional<String> owner = executions.remoteOwner(executionArn);
      if (owner.isPresent()) {
        return forwarder.callOr(owner.get(), action, request, () -> local.apply(executions.find(executionArn)));
      }
    }
    return Forwarder.answer(() -> local.apply(state));
  }
}
