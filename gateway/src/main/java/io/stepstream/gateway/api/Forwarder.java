package io.stepstream.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Sends a request to the gateway of the instance that holds its data (an execution's history, or
 * its state in the coordinator's store), as an internal action ({@code AWSStepFunctions.Internal.<Action>}):
 * internal actions answer from their own stores and never forward again, so a request crosses at
 * most one hop even while partitions move. Non-blocking: the answer completes the returned future
 * on the HTTP client's threads.
 */
public final class Forwarder {

  /** Prefix of internal action names in the action table. */
  public static final String INTERNAL = "Internal.";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Calls an internal action on another instance.
   *
   * @param hostPort the instance's API address
   * @param action the public action name; {@code Internal.} is prepended
   * @param body the request
   * @return the response body; fails with the remote {@link ApiException} when it answered with one
   */
  public CompletableFuture<ObjectNode> call(String hostPort, String action, ObjectNode body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + "/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AWSStepFunctions." + INTERNAL + action)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      JsonNode answer = Json.parse(response.body());
      if (response.statusCode() != 200) {
        throw new ApiException(answer.path("__type").asText("InternalFailure"), answer.path("message").asText(null),
            response.statusCode());
      }
      return (ObjectNode) answer;
    });
  }

  /**
   * Calls an internal action on another instance, or answers here when that instance cannot be
   * reached (it may have just left and its partitions moved here).
   *
   * @param hostPort the instance's API address
   * @param action the public action name; {@code Internal.} is prepended
   * @param body the request
   * @param local answers the request from this instance's stores
   * @return the remote answer (its {@link ApiException} included), else the local one
   */
  public CompletableFuture<ObjectNode> callOr(String hostPort, String action, ObjectNode body,
      Supplier<CompletableFuture<ObjectNode>> local) {
    return call(hostPort, action, body).handle((response, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(response);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
          : failure;
      if (cause instanceof ApiException api) {
        return CompletableFuture.<ObjectNode>failedFuture(api);
      }
      return answer(local);
    }).thenCompose(future -> future);
  }

  /** Runs a local answer, turning a thrown failure into a failed future. */
  public static CompletableFuture<ObjectNode> answer(Supplier<CompletableFuture<ObjectNode>> local) {
    try {
      return local.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
