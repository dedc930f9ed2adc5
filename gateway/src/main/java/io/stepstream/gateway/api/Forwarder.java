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
import java.util.function.Supplier;

/**
 * Sends a read to the internal listener of the instance that holds its data (an execution's
 * history), as an internal action ({@code AWSStepFunctions.Internal.<Action>}): internal actions
 * answer from their own stores or refuse with a retryable error, and never forward again, so a
 * request crosses at most one hop even while partitions move. Internal actions are served only on
 * the internal listener, never on the public API port. Non-blocking: the answer completes the
 * returned future on the HTTP client's threads.
 */
public final class Forwarder {

  /** Prefix of internal action names in the action table. */
  public static final String INTERNAL = "Internal.";

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Calls an internal action on another instance.
   *
   * @param hostPort the instance's internal address
   * @param action the public action name; {@code Internal.} is prepended
   * @param body the request
   * @return the response body; fails with the remote {@link ApiException} when it answered with one,
   *     and with {@code ServiceUnavailable} (503, retryable) when it could not be reached: an
   *     instance that cannot answer never turns into "does not exist"
   */
  public CompletableFuture<ObjectNode> call(String hostPort, String action, ObjectNode body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + "/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AWSStepFunctions." + INTERNAL + action)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
      if (failure != null) {
        throw ApiErrors.unavailable("The instance holding this data (" + hostPort + ") cannot be reached now");
      }
      JsonNode answer = Json.parse(response.body());
      if (response.statusCode() != 200) {
        throw new ApiException(answer.path("__type").asText("InternalFailure"), answer.path("message").asText(null),
            response.statusCode());
      }
      return (ObjectNode) answer;
    });
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
