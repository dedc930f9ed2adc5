package io.stepstream.gateway.api;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Step Functions API action, such as {@code CreateStateMachine}.
 *
 * <p>Called on a Netty event loop thread: it must not block. Work that waits (a Kafka write, an
 * execution's end) is returned as a future completed later from any thread. Expected failures are
 * {@link ApiException}s, thrown or completing the future; anything else is answered as an
 * internal error.
 */
@FunctionalInterface
public interface Action {

  /**
   * Handles one request.
   *
   * @param request the request body, a JSON object (never null; {@code {}} for an empty body)
   * @return the response body, a JSON object
   */
  CompletableFuture<? extends JsonNode> handle(ObjectNode request);
}
