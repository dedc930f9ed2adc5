package io.stepstream.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.teststate.StateTest;
import io.stepstream.asl.teststate.TestStateRequest;
import io.stepstream.asl.teststate.TestStateRequest.InspectionLevel;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskSucceeded;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TestState of HTTP Tasks without a mock: {@link StateTest} with the real {@link TestStateInvoker}
 * against a real HTTP server on 127.0.0.1, so the call, its result and its errors go through the
 * state's ResultSelector, ResultPath, Retry and Catch as in an execution. Functions: what the invoker
 * sends to the workers and makes of their report (end to end with Kafka and a worker in the server's
 * TestStateWorkersTest).
 */
class TestStateInvokerTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/test";
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:TestState";
  private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:express:TestState:t:t";

  private final StateTest tester = new StateTest(Limits.DEFAULT, TestStateInvoker.create());
  /** Each request the server received: method, path and body. */
  private final List<String> received = new CopyOnWriteArrayList<>();
  /** Holds the answers of {@code /slow} until the test ends. */
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/orders", exchange -> answer(exchange, 201, "{\"id\": 7, \"state\": \"open\"}"));
    server.createContext("/broken", exchange -> answer(exchange, 500, "{\"message\": \"database down\"}"));
    server.createContext("/busy", exchange -> answer(exchange, 503, "{\"message\": \"busy\"}"));
    server.createContext("/slow", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "{}");
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void shouldCallTheEndpointAndRunItsAnswerThroughResultSelectorAndResultPath() {
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
         "Parameters": {"ApiEndpoint": "%s/orders", "Method": "POST", "RequestBody": {"order.$": "$.order"}},
         "ResultSelector": {"id.$": "$.ResponseBody.id", "status.$": "$.StatusCode"},
         "ResultPath": "$.created", "Next": "Ship"}""".formatted(base), InspectionLevel.DEBUG, 0));

    assertThat(received).containsExactly("POST /orders {\"order\":1}");
    assertThat(response.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(response.path("nextState").asText()).isEqualTo("Ship");
    assertThat(Json.parse(response.path("output").asText()))
        .isEqualTo(Json.parse("{\"order\": 1, \"created\": {\"id\": 7, \"status\": 201}}"));
    JsonNode data = response.path("inspectionData");
    assertThat(Json.parse(data.path("afterParameters").asText())).isEqualTo(Json.parse("""
        {"ApiEndpoint": "%s/orders", "Method": "POST", "RequestBody": {"order": 1}}""".formatted(base)));
    JsonNode result = Json.parse(data.path("result").asText());
    assertThat(result.path("StatusCode").asInt()).isEqualTo(201);
    assertThat(result.path("StatusText").asText()).isEqualTo("Created");
    assertThat(result.path("ResponseBody")).isEqualTo(Json.parse("{\"id\": 7, \"state\": \"open\"}"));
    assertThat(Json.parse(data.path("afterResultSelector").asText())).isEqualTo(Json.parse("{\"id\": 7, \"status\": 201}"));
    assertThat(data.has("request")).as("the HTTP exchange is shown at TRACE only").isFalse();
  }

  @Test
  void shouldShowTheHttpRequestAndResponseAtTrace() {
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": true,
         "Parameters": {"ApiEndpoint": "%s/orders", "Method": "POST", "Headers": {"X-Tenant": "acme"},
                        "QueryParameters": {"dry": "yes"}, "RequestBody": {"order.$": "$.order"}}}""".formatted(base),
        InspectionLevel.TRACE, 0));

    JsonNode data = response.path("inspectionData");
    JsonNode request = data.path("request");
    assertThat(request.path("protocol").asText()).isEqualTo("http");
    assertThat(request.path("method").asText()).isEqualTo("POST");
    assertThat(request.path("url").asText()).isEqualTo(base + "/orders?dry=yes");
    assertThat(request.path("headers").asText()).contains("X-Tenant: acme").contains("Content-Type: application/json");
    assertThat(request.path("body").asText()).isEqualTo("{\"order\":1}");
    JsonNode answer = data.path("response");
    assertThat(answer.path("protocol").asText()).isEqualTo("http");
    assertThat(answer.path("statusCode").asText()).isEqualTo("201");
    assertThat(answer.path("statusMessage").asText()).isEqualTo("Created");
    assertThat(answer.path("headers").asText()).containsIgnoringCase("content-type: application/json");
    assertThat(Json.parse(answer.path("body").asText())).isEqualTo(Json.parse("{\"id\": 7, \"state\": \"open\"}"));
  }

  @Test
  void shouldCatchAServerErrorAsStatesHttpStatusCode() {
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Next": "Ship",
         "Parameters": {"ApiEndpoint": "%s/broken", "Method": "GET"},
         "Catch": [{"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "Missing"},
                   {"ErrorEquals": ["States.Http.StatusCode.500"], "ResultPath": "$.error", "Next": "Refund"}]}"""
        .formatted(base), InspectionLevel.DEBUG, 0));

    assertThat(response.path("status").asText()).isEqualTo("CAUGHT_ERROR");
    assertThat(response.path("error").asText()).isEqualTo("States.Http.StatusCode.500");
    assertThat(response.path("nextState").asText()).isEqualTo("Refund");
    assertThat(response.path("inspectionData").path("errorDetails")).isEqualTo(Json.parse("{\"catchIndex\": 1}"));
    JsonNode cause = Json.parse(response.path("cause").asText());
    assertThat(cause.path("StatusCode").asInt()).isEqualTo(500);
    assertThat(cause.path("ResponseBody")).isEqualTo(Json.parse("{\"message\": \"database down\"}"));
    JsonNode output = Json.parse(response.path("output").asText());
    assertThat(output.path("order").asInt()).isEqualTo(1);
    assertThat(output.path("error").path("Error").asText()).isEqualTo("States.Http.StatusCode.500");
  }

  @Test
  void shouldInvokeOnceAndReplayItsErrorForTheRetriesAlreadyMade() {
    String task = """
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": true,
         "Parameters": {"ApiEndpoint": "%s/busy", "Method": "GET"},
         "Retry": [{"ErrorEquals": ["States.Http.StatusCode.503"], "IntervalSeconds": 2, "MaxAttempts": 3,
                    "BackoffRate": 3}]}""".formatted(base);

    ObjectNode retriable = run(request(task, InspectionLevel.DEBUG, 1));

    assertThat(received).as("the endpoint is called once; the earlier retries are replayed").hasSize(1);
    assertThat(retriable.path("status").asText()).isEqualTo("RETRIABLE");
    assertThat(retriable.path("error").asText()).isEqualTo("States.Http.StatusCode.503");
    assertThat(retriable.path("inspectionData").path("errorDetails"))
        .isEqualTo(Json.parse("{\"retryIndex\": 0, \"retryBackoffIntervalSeconds\": 6}"));

    ObjectNode exhausted = run(request(task, InspectionLevel.INFO, 3));
    assertThat(exhausted.path("status").asText()).isEqualTo("FAILED");
    assertThat(exhausted.path("error").asText()).isEqualTo("States.Http.StatusCode.503");
  }

  @Test
  void shouldTimeOutAfterTimeoutSecondsAsTheInterpreterDoes() {
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "TimeoutSeconds": 1, "Next": "Ship",
         "Parameters": {"ApiEndpoint": "%s/slow", "Method": "GET"},
         "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TooSlow"}]}""".formatted(base), InspectionLevel.INFO, 0));

    assertThat(response.path("status").asText()).isEqualTo("CAUGHT_ERROR");
    assertThat(response.path("error").asText()).isEqualTo("States.Timeout");
    assertThat(response.path("nextState").asText()).isEqualTo("TooSlow");
  }

  @Test
  void shouldFailWithStatesHttpSocketWhenNothingListens() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": true,
         "Parameters": {"ApiEndpoint": "http://127.0.0.1:%d/nowhere", "Method": "GET"}}""".formatted(closed),
        InspectionLevel.TRACE, 0));

    assertThat(response.path("status").asText()).isEqualTo("FAILED");
    assertThat(response.path("error").asText()).isEqualTo("States.Http.Socket");
    assertThat(response.path("inspectionData").path("request").path("url").asText()).endsWith("/nowhere");
    assertThat(response.path("inspectionData").has("response")).isFalse();
  }

  @Test
  void shouldRefuseFunctionsWithoutWorkersAndOtherServicesAsAnExecutionFailsThem() {
    StateTest.Outcome function = tester.run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"},
         "End": true}""", InspectionLevel.INFO, 0));
    assertThat(function.rejection().type()).isEqualTo("ValidationException");
    assertThat(function.rejection().message()).contains("does not reach the workers").contains("mock");

    StateTest.Outcome service = tester.run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "End": true}""", InspectionLevel.INFO, 0));
    assertThat(service.rejection().message())
        .contains("No worker runs the resource 'arn:aws:states:::dynamodb:getItem'").contains("States.Runtime");
    assertThat(received).isEmpty();
  }

  @Test
  void shouldSendAFunctionsTaskWithItsDeadlineAndRunItsReportThroughTheState() {
    // given: workers that report a result for the task they get
    List<DispatchTask> sent = new CopyOnWriteArrayList<>();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);
    TestStateInvoker.Workers workers = (task, wait) -> {
      sent.add(task);
      waits.add(wait);
      return CompletableFuture.completedFuture(CommandReply.newBuilder().setTaskSucceeded(
          ReportTaskSucceeded.newBuilder().setTaskToken(task.getTaskToken()).setOutput("{\"charged\": 12}")).build());
    };
    StateTest functions = new StateTest(Limits.DEFAULT, new TestStateInvoker(HttpClient.newHttpClient(), workers, null, clock));

    // when
    ObjectNode response = run(functions, request("""
        {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "TimeoutSeconds": 30,
         "ResultPath": "$.payment", "End": true}""", InspectionLevel.INFO, 0));

    // then: the task as the interpreter dispatched it, with the deadline of its TimeoutSeconds
    assertThat(response.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(Json.parse(response.path("output").asText())).isEqualTo(Json.parse("{\"order\": 1, \"payment\": {\"charged\": 12}}"));
    assertThat(sent).singleElement().satisfies(task -> {
      assertThat(task.getResource()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:charge");
      assertThat(Json.parse(task.getInput())).isEqualTo(Json.parse("{\"order\": 1}"));
      assertThat(task.getDeadlineMs()).isEqualTo(1_000_000 + 30_000);
    });
    assertThat(waits).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void shouldTimeOutAFunctionWhoseReportDoesNotComeAndFailWithAWorkersError() {
    // given: no report within the wait, then a failure
    TestStateInvoker.Workers silent = (task, wait) -> CompletableFuture.failedFuture(new TimeoutException());
    TestStateInvoker.Workers failing = (task, wait) -> CompletableFuture.completedFuture(CommandReply.newBuilder()
        .setTaskFailed(ReportTaskFailed.newBuilder().setError("Payment.Declined").setCause("card expired")).build());
    String task = """
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"},
         "End": true}""";

    // when
    ObjectNode timedOut = run(new StateTest(Limits.DEFAULT,
        new TestStateInvoker(HttpClient.newHttpClient(), silent, null, Clock.systemUTC())),
        request(task, InspectionLevel.INFO, 0));
    ObjectNode failed = run(new StateTest(Limits.DEFAULT,
        new TestStateInvoker(HttpClient.newHttpClient(), failing, null, Clock.systemUTC())),
        request(task, InspectionLevel.INFO, 0));

    // then
    assertThat(timedOut.path("status").asText()).isEqualTo("FAILED");
    assertThat(timedOut.path("error").asText()).isEqualTo("States.Timeout");
    assertThat(failed.path("error").asText()).isEqualTo("Payment.Declined");
    assertThat(failed.path("cause").asText()).isEqualTo("card expired");
  }

  private static ObjectNode run(StateTest tester, TestStateRequest request) {
    StateTest.Outcome outcome = tester.run(request);
    assertThat(outcome.rejection()).isNull();
    return outcome.response();
  }

  private ObjectNode run(TestStateRequest request) {
    StateTest.Outcome outcome = tester.run(request);
    assertThat(outcome.rejection()).isNull();
    return outcome.response();
  }

  private static TestStateRequest request(String definition, InspectionLevel level, int retries) {
    return new TestStateRequest(definition, null, "{\"order\": 1}", null, level, null, retries, ROLE, MACHINE, EXECUTION,
        1_704_067_200_000L, 7);
  }

  private void answer(HttpExchange exchange, int status, String body) throws IOException {
    String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (sent.isEmpty() ? "" : " " + sent));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
