package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.InspectionDataRequest;
import software.amazon.awssdk.services.sfn.model.InspectionDataResponse;
import software.amazon.awssdk.services.sfn.model.InspectionLevel;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * TestState against {@code dev} mode, through the AWS SDK for Java v2. The SDK version the build
 * uses predates {@code mock} and {@code stateName}; those are sent as raw AWS JSON 1.0 requests.
 * HTTP Tasks without a mock call a real HTTP server this test runs on 127.0.0.1 (functions and nested
 * executions without a mock: {@link TestStateWorkersTest}).
 */
class TestStateSfnClientTest {

  @RegisterExtension
  static final DevServer SERVER = DevServer.start(1, SfnTestClients::client);

  private static final String ROLE = "arn:aws:iam::123456789012:role/test";
  /** Each request the endpoint received: method, path and body. */
  private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
  private static HttpServer endpoint;
  private static String base;

  @BeforeAll
  static void startEndpoint() throws IOException {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/orders", exchange -> answer(exchange, 201, "{\"id\": 7, \"state\": \"open\"}"));
    endpoint.createContext("/broken", exchange -> answer(exchange, 500, "{\"message\": \"database down\"}"));
    endpoint.start();
    base = "http://127.0.0.1:" + endpoint.getAddress().getPort();
  }

  @AfterAll
  static void stopEndpoint() {
    endpoint.stop(0);
  }

  @BeforeEach
  void forgetRequests() {
    RECEIVED.clear();
  }

  @Test
  void shouldInvokeAnHttpTaskWithoutAMockAndApplyResultSelectorAndResultPath() {
    TestStateResponse response = SERVER.sfn().testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG)
        .definition("""
            {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
             "Parameters": {"ApiEndpoint": "%s/orders", "Method": "POST", "RequestBody": {"order.$": "$.order"}},
             "ResultSelector": {"id.$": "$.ResponseBody.id", "status.$": "$.StatusCode"},
             "ResultPath": "$.created", "Next": "Ship"}""".formatted(base))
        .input("{\"order\": 1}"));

    assertThat(RECEIVED).containsExactly("POST /orders {\"order\":1}");
    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isEqualTo("Ship");
    assertThat(Json.parse(response.output())).isEqualTo(Json.parse("{\"order\": 1, \"created\": {\"id\": 7, \"status\": 201}}"));
    assertThat(Json.parse(response.inspectionData().result()).path("ResponseBody"))
        .isEqualTo(Json.parse("{\"id\": 7, \"state\": \"open\"}"));
    assertThat(Json.parse(response.inspectionData().afterResultSelector()))
        .isEqualTo(Json.parse("{\"id\": 7, \"status\": 201}"));
  }

  @Test
  void shouldCatchAnInternalServerErrorOfTheEndpoint() {
    TestStateResponse response = SERVER.sfn().testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG)
        .definition("""
            {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Next": "Ship",
             "Parameters": {"ApiEndpoint": "%s/broken", "Method": "GET"},
             "Catch": [{"ErrorEquals": ["States.Http.StatusCode.500"], "ResultPath": "$.error", "Next": "Refund"}]}"""
            .formatted(base))
        .input("{\"order\": 1}"));

    assertThat(RECEIVED).containsExactly("GET /broken");
    assertThat(response.status()).isEqualTo(TestExecutionStatus.CAUGHT_ERROR);
    assertThat(response.error()).isEqualTo("States.Http.StatusCode.500");
    assertThat(Json.parse(response.cause()).path("ResponseBody")).isEqualTo(Json.parse("{\"message\": \"database down\"}"));
    assertThat(response.nextState()).isEqualTo("Refund");
    JsonNode output = Json.parse(response.output());
    assertThat(output.path("order").asInt()).isEqualTo(1);
    assertThat(output.path("error").path("Error").asText()).isEqualTo("States.Http.StatusCode.500");
  }

  @Test
  void shouldShowTheHttpRequestAndResponseAtTrace() {
    TestStateResponse response = SERVER.sfn().testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.TRACE)
        .definition("""
            {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": true,
             "Parameters": {"ApiEndpoint": "%s/orders", "Method": "POST", "Headers": {"X-Tenant": "acme"},
                            "RequestBody": {"order.$": "$.order"}}}""".formatted(base))
        .input("{\"order\": 1}"));

    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    InspectionDataRequest request = response.inspectionData().request();
    assertThat(request.protocol()).isEqualTo("http");
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.url()).isEqualTo(base + "/orders");
    assertThat(request.headers()).contains("X-Tenant: acme").contains("Content-Type: application/json");
    assertThat(request.body()).isEqualTo("{\"order\":1}");
    InspectionDataResponse answer = response.inspectionData().response();
    assertThat(answer.statusCode()).isEqualTo("201");
    assertThat(answer.statusMessage()).isEqualTo("Created");
    assertThat(answer.headers()).containsIgnoringCase("content-type: application/json");
    assertThat(Json.parse(answer.body())).isEqualTo(Json.parse("{\"id\": 7, \"state\": \"open\"}"));
  }

  @Test
  void shouldRefuseAnotherAwsServiceWithoutAMockAndSayWhy() {
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q"},
         "End": true}""")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("No worker runs the resource 'arn:aws:states:::sqs:sendMessage'");
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::http:invoke.waitForTaskToken", "End": true,
         "Parameters": {"ApiEndpoint": "%s/orders", "Method": "GET"}}""".formatted(base))))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("TestState does not support the .waitForTaskToken service integration pattern when a mock "
            + "is not specified.");
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void shouldShowEachDataFlowStepOfAPassStateAtDebug() {
    TestStateResponse response = SERVER.sfn().testState(b -> b.inspectionLevel(InspectionLevel.DEBUG)
        .definition("""
            {"Type": "Pass", "InputPath": "$.initialData",
             "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
             "ResultPath": "$.modifiedData", "Next": "After"}""")
        .input("{\"initialData\": {\"fieldFromInput\": \"value from input\"}, \"other\": 1}"));

    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isEqualTo("After");
    assertThat(Json.parse(response.output())).isEqualTo(Json.parse("""
        {"initialData": {"fieldFromInput": "value from input"}, "other": 1,
         "modifiedData": {"staticValue": "some value", "inputValue": "value from input"}}"""));
    assertThat(Json.parse(response.inspectionData().afterInputPath()))
        .isEqualTo(Json.parse("{\"fieldFromInput\": \"value from input\"}"));
    assertThat(Json.parse(response.inspectionData().afterParameters()))
        .isEqualTo(Json.parse("{\"staticValue\": \"some value\", \"inputValue\": \"value from input\"}"));
    assertThat(Json.parse(response.inspectionData().afterResultPath())).isEqualTo(Json.parse(response.output()));
    assertThat(response.error()).isNull();
  }

  @Test
  void shouldShowOnlyTheOutcomeAtInfo() {
    TestStateResponse response = SERVER.sfn().testState(b -> b.definition("""
        {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Small"}""")
        .input("{\"n\": 3}"));

    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isEqualTo("Small");
    assertThat(response.inspectionData()).isNull();
  }

  @Test
  void shouldFailWithTheFailStatesErrorAndSeeTheVariablesGiven() {
    TestStateResponse failed = SERVER.sfn().testState(b -> b.definition("""
        {"Type": "Fail", "Error": "Rejected", "Cause": "too big"}"""));
    assertThat(failed.status()).isEqualTo(TestExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Rejected");
    assertThat(failed.cause()).isEqualTo("too big");
    assertThat(failed.output()).isNull();

    TestStateResponse jsonata = SERVER.sfn().testState(b -> b.inspectionLevel(InspectionLevel.TRACE).variables("{\"rate\": 3}")
        .definition("""
            {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.n * $rate %}", "End": true}""")
        .input("{\"n\": 5}"));
    assertThat(jsonata.output()).isEqualTo("15");
    assertThat(Json.parse(jsonata.inspectionData().variables())).isEqualTo(Json.parse("{\"rate\": 3}"));
  }

  @Test
  void shouldRefuseBadRequestsAsAwsDoesAndStartNoExecution() {
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.definition("{\"Type\": \"Pass\", \"Next\": 3}")))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("Invalid State Machine Definition: '");
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.definition("{\"Type\": \"Pass\", \"End\": true}").input("{")))
        .isInstanceOf(InvalidExecutionInputException.class);
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}""")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("RoleArn must be specified when testing a Task state");
    assertThatThrownBy(() -> SERVER.sfn().testState(b -> b.definition("""
        {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}""")))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("TestState API does not support Map or Parallel states");

    // TestState creates nothing: no state machine to hold an execution of the tested state.
    assertThat(SERVER.sfn().listStateMachines(b -> { }).stateMachines()).isEmpty();
  }

  @Test
  void shouldReplayRetriesOfAMockedErrorAndCatchWhenTheyRunOut() throws Exception {
    String task = """
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "charge"},
         "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 2, "MaxAttempts": 2, "BackoffRate": 3}],
         "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
         "Next": "Ship"}""";
    JsonNode retriable = rawTestState(Json.object().put("definition", task).put("input", "{\"order\": 1}")
        .put("inspectionLevel", "DEBUG").<com.fasterxml.jackson.databind.node.ObjectNode>set("mock",
            Json.parse("{\"errorOutput\": {\"error\": \"Busy\", \"cause\": \"try later\"}}"))
        .set("stateConfiguration", Json.parse("{\"retrierRetryCount\": 1}")));
    assertThat(retriable.path("status").asText()).isEqualTo("RETRIABLE");
    assertThat(retriable.path("inspectionData").path("errorDetails"))
        .isEqualTo(Json.parse("{\"retryIndex\": 0, \"retryBackoffIntervalSeconds\": 6}"));

    JsonNode caught = rawTestState(Json.object().put("definition", task).put("input", "{\"order\": 1}")
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("mock",
            Json.parse("{\"errorOutput\": {\"error\": \"Busy\", \"cause\": \"try later\"}}"))
        .set("stateConfiguration", Json.parse("{\"retrierRetryCount\": 2}")));
    assertThat(caught.path("status").asText()).isEqualTo("CAUGHT_ERROR");
    assertThat(caught.path("nextState").asText()).isEqualTo("Refund");
    assertThat(Json.parse(caught.path("output").asText())).isEqualTo(Json.parse(
        "{\"order\": 1, \"error\": {\"Error\": \"Busy\", \"Cause\": \"try later\"}}"));

    JsonNode succeeded = rawTestState(Json.object().put("definition", task).put("input", "{\"order\": 1}")
        .set("mock", Json.parse("{\"result\": \"{\\\"charged\\\": true}\"}")));
    assertThat(succeeded.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(succeeded.path("nextState").asText()).isEqualTo("Ship");
    assertThat(succeeded.path("output").asText()).isEqualTo("{\"charged\":true}");
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    RECEIVED.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (sent.isEmpty() ? "" : " " + sent));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** TestState as raw AWS JSON 1.0, for the members this SDK version lacks. */
  private static JsonNode rawTestState(JsonNode body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(SERVER.dev().endpoint()))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AWSStepFunctions.TestState")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }
}
