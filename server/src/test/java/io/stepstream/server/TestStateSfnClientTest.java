package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.InspectionLevel;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * TestState against {@code dev} mode, through the AWS SDK for Java v2. The SDK version the build
 * uses predates {@code mock} and {@code stateName}; those are sent as raw AWS JSON 1.0 requests.
 */
class TestStateSfnClientTest {

  @RegisterExtension
  static final DevServer SERVER = DevServer.start(1, SfnTestClients::client);

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
