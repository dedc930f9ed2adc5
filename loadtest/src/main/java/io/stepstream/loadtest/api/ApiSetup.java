package io.stepstream.loadtest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few blocking calls a run makes before the load starts: waiting for {@code GET /health} and
 * creating the state machine under test.
 */
final class ApiSetup {

  private final URI endpoint;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  ApiSetup(URI endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Waits until {@code GET /health} answers 200.
   *
   * @throws IllegalStateException when it does not within {@code timeout}
   */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(Duration.ofSeconds(2)).GET().build();
    while (true) {
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(endpoint + "/health did not answer 200 within " + timeout);
      }
      Thread.sleep(200);
    }
  }

  /**
   * Creates a state machine and returns its ARN.
   *
   * @param type {@code STANDARD} or {@code EXPRESS}
   * @throws IllegalStateException when the server refuses it
   */
  String createStateMachine(String name, String type, String definition) throws IOException, InterruptedException {
    ObjectNode body = Json.object()
        .put("name", name)
        .put("definition", definition)
        .put("roleArn", "arn:aws:iam::123456789012:role/stepstream-loadtest")
        .put("type", type);
    JsonNode answer = call("CreateStateMachine", body);
    return answer.path("stateMachineArn").asText();
  }

  private JsonNode call(String action, ObjectNode body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AWSStepFunctions." + action)
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(action + " failed with HTTP " + response.statusCode() + ": " + response.body());
    }
    return Json.parse(response.body());
  }
}
