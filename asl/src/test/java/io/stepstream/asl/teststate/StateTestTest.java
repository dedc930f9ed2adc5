package io.stepstream.asl.teststate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.teststate.TestStateRequest.InspectionLevel;
import io.stepstream.asl.teststate.TestStateRequest.Mock;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

/**
 * TestState on the pure core. The expected answers are the shapes AWS answered for the same
 * states and inputs (recorded against AWS in LocalStack's TestState snapshots); JSON strings are
 * compared parsed.
 */
class StateTestTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/test";
  private static final String HELLO = "{\"Value\": \"HelloWorld\"}";
  private static final String NESTED = """
      {"initialData": {"fieldFromInput": "value from input", "otherField": "other"},
       "unrelatedData": {"someOtherField": 1234}}""";
  private static final String CATCHING_TASK = """
      {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
       "Arguments": {"FunctionName": "foo", "Payload": "bar"},
       "Catch": [{"ErrorEquals": ["MockException"], "Output": "{% $states.errorOutput %}", "Next": "HandleMockError"},
                 {"ErrorEquals": ["States.TaskFailed"], "Next": "HandleThreshold"}],
       "End": true}""";
  private static final String RETRYING_TASK = """
      {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
       "Arguments": {"FunctionName": "foo", "Payload": "bar"},
       "Retry": [{"ErrorEquals": ["MockException"], "IntervalSeconds": 1, "MaxAttempts": 5, "BackoffRate": 2.0}],
       "End": true}""";

  private final StateTest tester = new StateTest(Limits.DEFAULT);

  @Test
  void shouldShowEveryJsonPathStepOfAPassStateAtDebug() {
    ObjectNode response = run(request("""
        {"Type": "Pass", "InputPath": "$.initialData",
         "Parameters": {"staticValue": "some value", "inputValue.$": "$.fieldFromInput"},
         "ResultPath": "$.modifiedData", "End": true}""", NESTED, InspectionLevel.DEBUG, null));

    JsonNode modified = Json.parse("""
        {"initialData": {"fieldFromInput": "value from input", "otherField": "other"},
         "unrelatedData": {"someOtherField": 1234},
         "modifiedData": {"staticValue": "some value", "inputValue": "value from input"}}""");
    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "output": %s, "inspectionData": {
          "input": %s,
          "afterInputPath": {"fieldFromInput": "value from input", "otherField": "other"},
          "afterParameters": {"staticValue": "some value", "inputValue": "value from input"},
          "afterResultSelector": {"staticValue": "some value", "inputValue": "value from input"},
          "afterResultPath": %s}}""".formatted(modified, NESTED, modified)));
  }

  @Test
  void shouldShowTheResultInsteadOfInputStepsForAPassStateWithResult() {
    ObjectNode response = run(request("""
        {"Type": "Pass", "Result": {"resultKey": "result value"}, "End": true}""", HELLO, InspectionLevel.TRACE, null));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "output": {"resultKey": "result value"}, "inspectionData": {
          "input": {"Value": "HelloWorld"}, "result": {"resultKey": "result value"},
          "afterResultSelector": {"resultKey": "result value"}, "afterResultPath": {"resultKey": "result value"}}}"""));
  }

  @Test
  void shouldShowOnlyStatusAndOutputAtInfo() {
    ObjectNode response = run(request("{\"Type\": \"Succeed\"}", HELLO, InspectionLevel.INFO, null));

    assertThat(parsed(response)).isEqualTo(Json.parse("{\"status\": \"SUCCEEDED\", \"output\": " + HELLO + "}"));
  }

  @Test
  void shouldNameTheNextStateOfAChoice() {
    ObjectNode response = run(request("""
        {"Type": "Choice", "Choices": [
          {"Not": {"Variable": "$.type", "StringEquals": "Private"}, "Next": "Public"},
          {"Variable": "$.value", "NumericEquals": 0, "Next": "ValueIsZero"},
          {"And": [{"Variable": "$.value", "NumericGreaterThanEquals": 20}, {"Variable": "$.value", "NumericLessThan": 30}],
           "Next": "ValueInTwenties"}],
         "Default": "DefaultState"}""", "{\"type\": \"Private\", \"value\": 22}", InspectionLevel.DEBUG, null));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "nextState": "ValueInTwenties", "output": {"type": "Private", "value": 22},
         "inspectionData": {"input": {"type": "Private", "value": 22}, "afterInputPath": {"type": "Private", "value": 22}}}"""));
  }

  @Test
  void shouldFailWithTheErrorAndCauseOfAFailState() {
    ObjectNode response = run(request("""
        {"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}""",
        HELLO, InspectionLevel.DEBUG, null));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "FAILED", "error": "SomeFailure", "cause": "This state machines raises a 'SomeFailure' failure.",
         "inspectionData": {"input": {"Value": "HelloWorld"}, "afterInputPath": {"Value": "HelloWorld"}}}"""));
  }

  @Test
  void shouldNotWaitForAWaitState() {
    ObjectNode response = run(request("{\"Type\": \"Wait\", \"Seconds\": 86400, \"Next\": \"After\"}", HELLO,
        InspectionLevel.INFO, null));

    assertThat(parsed(response)).isEqualTo(Json.parse(
        "{\"status\": \"SUCCEEDED\", \"nextState\": \"After\", \"output\": " + HELLO + "}"));
  }

  @Test
  void shouldApplyTheTaskStepsToAMockedResult() {
    ObjectNode response = run(request("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.inputPathField",
         "Parameters": {"FunctionName.$": "$.FunctionName", "Payload": {"Input.$": "$", "AdditionalParam": "Value"}},
         "ResultSelector": {"LambdaOutput.$": "$.Payload"}, "ResultPath": "$.resultPathField", "Next": "Done"}""",
        "{\"inputPathField\": {\"FunctionName\": \"f\"}}", InspectionLevel.DEBUG,
        new Mock("{\"Payload\": {\"ok\": true}, \"StatusCode\": 200}", null, null)));

    JsonNode output = Json.parse("{\"inputPathField\": {\"FunctionName\": \"f\"}, \"resultPathField\": {\"LambdaOutput\": {\"ok\": true}}}");
    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "nextState": "Done", "output": %s, "inspectionData": {
          "input": {"inputPathField": {"FunctionName": "f"}},
          "afterInputPath": {"FunctionName": "f"},
          "afterParameters": {"FunctionName": "f", "Payload": {"Input": {"FunctionName": "f"}, "AdditionalParam": "Value"}},
          "result": {"Payload": {"ok": true}, "StatusCode": 200},
          "afterResultSelector": {"LambdaOutput": {"ok": true}},
          "afterResultPath": %s}}""".formatted(output, output)));
  }

  @Test
  void shouldCatchAMockedErrorWithTheFirstMatchingCatcher() {
    ObjectNode response = run(request(CATCHING_TASK, HELLO, InspectionLevel.DEBUG,
        new Mock(null, "States.TaskFailed", "The task failed.")));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "CAUGHT_ERROR", "error": "States.TaskFailed", "cause": "The task failed.",
         "nextState": "HandleThreshold", "output": {"Error": "States.TaskFailed", "Cause": "The task failed."},
         "inspectionData": {"input": {"Value": "HelloWorld"}, "afterArguments": {"FunctionName": "foo", "Payload": "bar"},
           "errorDetails": {"catchIndex": 1}}}"""));
  }

  @Test
  void shouldBeRetriableWithTheBackoffOfTheRetriesAlreadyMade() {
    ObjectNode response = run(withRetries(request(RETRYING_TASK, "{}", InspectionLevel.DEBUG,
        new Mock(null, "MockException", "Mock the cause of the error.")), 4));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "RETRIABLE", "error": "MockException", "cause": "Mock the cause of the error.",
         "inspectionData": {"input": {}, "afterArguments": {"FunctionName": "foo", "Payload": "bar"},
           "errorDetails": {"retryIndex": 0, "retryBackoffIntervalSeconds": 16}}}"""));
  }

  @Test
  void shouldFailOnceTheRetrierHasNoAttemptsLeft() {
    ObjectNode response = run(withRetries(request(RETRYING_TASK, "{}", InspectionLevel.INFO,
        new Mock(null, "MockException", "Mock the cause of the error.")), 5));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "FAILED", "error": "MockException", "cause": "Mock the cause of the error."}"""));
  }

  @Test
  void shouldRunAParallelStateAsItsMockedResult() {
    ObjectNode response = run(request("""
        {"Type": "Parallel", "ResultPath": "$.parallelResult", "End": true, "Branches": [
          {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
          {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}]}""",
        "{\"parallelInput\": {\"data\": \"input_value\"}}", InspectionLevel.INFO,
        new Mock("[{\"branch1\": \"result\"}, {\"branch2\": \"result\"}]", null, null)));

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "output": {"parallelInput": {"data": "input_value"},
          "parallelResult": [{"branch1": "result"}, {"branch2": "result"}]}}"""));
  }

  @Test
  void shouldShowVariablesGivenAndAssigned() {
    TestStateRequest given = request("""
        {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"doubled": "{% $base * 2 %}"},
         "Output": {"sum": "{% $base + $states.input.n %}"}, "End": true}""", "{\"n\": 1}", InspectionLevel.DEBUG, null);
    TestStateRequest withVariables = new TestStateRequest(given.definition(), null, given.input(), "{\"base\": 20}",
        given.level(), null, 0, null, given.stateMachineArn(), given.executionArn(), given.timeMs(), given.seed());

    ObjectNode response = run(withVariables);

    assertThat(parsed(response)).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "output": {"sum": 21},
         "inspectionData": {"input": {"n": 1}, "variables": {"base": 20, "doubled": 40}}}"""));
  }

  @Test
  void shouldTestOneStateOfAWholeStateMachine() {
    TestStateRequest whole = new TestStateRequest("""
        {"StartAt": "First", "States": {
          "First": {"Type": "Pass", "Next": "Approval Required"},
          "Approval Required": {"Type": "Choice", "QueryLanguage": "JSONata",
            "Choices": [{"Condition": "{% $states.input.cost < 10 %}", "Next": "Purchase Approved"}],
            "Default": "First"},
          "Purchase Approved": {"Type": "Succeed"}}}""", "Approval Required", "{\"cost\": 9}", null,
        InspectionLevel.TRACE, null, 0, null, MACHINE, EXECUTION, 0, 1);

    assertThat(parsed(run(whole))).isEqualTo(Json.parse("""
        {"status": "SUCCEEDED", "nextState": "Purchase Approved", "output": {"cost": 9},
         "inspectionData": {"input": {"cost": 9}}}"""));
  }

  @Test
  void shouldRefuseWhatAwsRefuses() {
    assertRejected(request("{\"Type\": \"Pass\", \"Next\": }", "{}", InspectionLevel.INFO, null), "InvalidDefinition");
    assertRejected(request("{\"Type\": \"Pass\", \"End\": true, \"Bogus\": 1}", "{}", InspectionLevel.INFO, null),
        "InvalidDefinition");
    assertRejected(request("{\"Type\": \"Pass\", \"End\": true}", "not json", InspectionLevel.INFO, null),
        "InvalidExecutionInput");
    assertThat(tester.run(request("{\"Type\": \"Pass\", \"End\": true}", "{}", InspectionLevel.INFO,
        new Mock("{}", null, null))).rejection().message())
        .isEqualTo("State type 'Pass' is not supported when a mock is specified");
    assertThat(tester.run(request("""
        {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}""",
        "{}", InspectionLevel.INFO, null)).rejection().type()).isEqualTo("InvalidDefinition");
    assertThat(tester.run(request(CATCHING_TASK, "{}", InspectionLevel.INFO, new Mock("{", null, null)))
        .rejection().message()).isEqualTo("Mocked result must be valid JSON");
    assertThat(tester.run(request(CATCHING_TASK, "{}", InspectionLevel.INFO, new Mock("{}", "E", null)))
        .rejection().message()).isEqualTo("A test mock should have only one of the following fields: [result, errorOutput].");
    assertThat(tester.run(new TestStateRequest(CATCHING_TASK, null, "{}", null, InspectionLevel.INFO, null, 0, null,
        MACHINE, EXECUTION, 0, 1)).rejection().message()).isEqualTo("RoleArn must be specified when testing a Task state");
  }

  @Test
  void shouldRefuseActivitiesAndIntegrationPatternsWithoutAMockAsAwsDoes() {
    assertThat(unmocked("arn:aws:states:us-east-1:123456789012:activity:review"))
        .isEqualTo(new Step.Rejection("ValidationException",
            "TestState does not support Activity tasks when a mock is not specified."));
    assertThat(unmocked("arn:aws:states:::lambda:invoke.waitForTaskToken"))
        .isEqualTo(new Step.Rejection("ValidationException",
            "TestState does not support the .waitForTaskToken service integration pattern when a mock is not specified."));
    assertThat(unmocked("arn:aws:states:::states:startExecution.sync:2").message())
        .isEqualTo("TestState does not support the .sync:2 service integration pattern when a mock is not specified.");
    assertThat(unmocked("arn:aws:states:::ecs:runTask.sync").message()).contains(" .sync service integration pattern ");
  }

  @Test
  void shouldRefuseATaskWithoutAMockWhenNothingCanInvokeItsResource() {
    Step.Rejection rejection = unmocked("arn:aws:states:::http:invoke");

    assertThat(rejection.type()).isEqualTo("ValidationException");
    assertThat(rejection.message()).contains("only with a mock").contains("'arn:aws:states:::http:invoke'");
  }

  /** The rejection of a Task state on {@code resource} tested without a mock by a tester that invokes nothing. */
  private Step.Rejection unmocked(String resource) {
    String task = Json.write(Json.object().put("Type", "Task").put("Resource", resource).put("End", true));
    return tester.run(request(task, "{}", InspectionLevel.INFO, null)).rejection();
  }

  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:TestState";
  private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:express:TestState:t:t";

  private static TestStateRequest request(String definition, String input, InspectionLevel level, Mock mock) {
    return new TestStateRequest(definition, null, input, null, level, mock, 0, ROLE, MACHINE, EXECUTION,
        1_704_067_200_000L, 7);
  }

  private static TestStateRequest withRetries(TestStateRequest r, int retries) {
    return new TestStateRequest(r.definition(), r.stateName(), r.input(), r.variables(), r.level(), r.mock(), retries,
        r.roleArn(), r.stateMachineArn(), r.executionArn(), r.timeMs(), r.seed());
  }

  private ObjectNode run(TestStateRequest request) {
    StateTest.Outcome outcome = tester.run(request);
    assertThat(outcome.rejection()).isNull();
    return outcome.response();
  }

  private void assertRejected(TestStateRequest request, String type) {
    assertThat(tester.run(request).rejection().type()).isEqualTo(type);
  }

  /** The response with its JSON-text members parsed, to compare with AWS's answers whatever the spacing. */
  private static JsonNode parsed(ObjectNode response) {
    ObjectNode copy = response.deepCopy();
    parseTexts(copy, "output");
    if (copy.get("inspectionData") instanceof ObjectNode data) {
      for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (data.get(field).isTextual()) {
          parseTexts(data, field);
        }
      }
    }
    return copy;
  }

  private static void parseTexts(ObjectNode node, String field) {
    if (node.get(field) != null && node.get(field).isTextual()) {
      node.set(field, Json.parse(node.get(field).textValue()));
    }
  }
}
