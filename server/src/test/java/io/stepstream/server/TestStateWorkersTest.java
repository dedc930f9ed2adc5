package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.worker.TaskFailure;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InspectionLevel;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TestStateResponse;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * TestState without a mock of Task states that Stepstream's workers run, end to end through the AWS
 * SDK against {@code dev} mode: dev's own worker serves no function, and a worker of its own (the
 * worker SDK, as a user runs it) serves them, so each task goes through the tasks topic and the
 * function's queue exactly as an execution's does, and the worker's report comes back to the gateway.
 * Also a request-response nested execution, started through StartExecution.
 */
class TestStateWorkersTest {

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static WorkerService billing;
  static SfnClient sfn;
  /** The execution ARN each invocation of {@code charge} saw in its context. */
  static final BlockingQueue<String> CHARGED = new LinkedBlockingQueue<>();
  static final CountDownLatch SLOW_CANCELLED = new CountDownLatch(1);

  @BeforeAll
  static void start() {
    TaskHandlers handlers = TaskHandlers.builder()
        .register("charge", JsonNode.class, (input, context) -> {
          CHARGED.add(context.executionArn());
          return Json.object().put("chargeId", "ch-" + input.path("order").asInt())
              .put("amount", input.path("amount").asInt());
        })
        .register("decline", JsonNode.class, (input, context) -> {
          throw new TaskFailure("Payment.Declined", "card expired");
        })
        .register("slow", JsonNode.class, (input, context) -> {
          try {
            Thread.sleep(Duration.ofMinutes(1));
          } catch (InterruptedException e) {
            if (context.isCancelled()) {
              SLOW_CANCELLED.countDown();
            }
            throw e;
          }
          return input;
        })
        .build();
    // A function no worker serves is not found after a second, as in an execution's task.
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), TaskHandlers.none(), null, Duration.ofSeconds(1));
    billing = WorkerService.start(WorkerConfig.of(dev.bootstrapServers(), "billing")
        .withFunctionNotFoundAfter(Duration.ofSeconds(1)), handlers);
    sfn = SfnTestClients.client(dev.endpoint());
    // The billing worker serves its functions once it is a member of each function's group.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", dev.bootstrapServers()))) {
      for (String function : List.of("charge", "decline", "slow")) {
        String group = "sfn.workers.fn." + function;
        SfnTestClients.waitFor(() -> served(admin, group) ? true : null, "a member of " + group);
      }
    }
  }

  private static boolean served(Admin admin, String group) {
    try {
      return !admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members()
          .isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (billing != null) {
      billing.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void shouldRunTheFunctionOnItsWorkerAndApplyResultSelectorAndResultPath() {
    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG)
        .definition("""
            {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "charge", "Payload": {"order.$": "$.order", "amount": 1200}},
             "ResultSelector": {"id.$": "$.Payload.chargeId", "status.$": "$.StatusCode"},
             "ResultPath": "$.payment", "Next": "Ship"}""")
        .input("{\"order\": 7}"));

    // then
    // The worker ran it as TestState's own EXPRESS execution, which exists nowhere else.
    assertThat(CHARGED).isNotEmpty().allSatisfy(arn -> assertThat(arn).contains(":express:TestState:"));
    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isEqualTo("Ship");
    assertThat(Json.parse(response.output())).isEqualTo(Json.parse("{\"order\": 7, \"payment\": {\"id\": \"ch-7\", \"status\": 200}}"));
    assertThat(Json.parse(response.inspectionData().result()).path("Payload"))
        .isEqualTo(Json.parse("{\"chargeId\": \"ch-7\", \"amount\": 1200}"));
    assertThat(Json.parse(response.inspectionData().afterParameters()))
        .isEqualTo(Json.parse("{\"FunctionName\": \"charge\", \"Payload\": {\"order\": 7, \"amount\": 1200}}"));
    assertThat(Json.parse(response.inspectionData().afterResultSelector()))
        .isEqualTo(Json.parse("{\"id\": \"ch-7\", \"status\": 200}"));
    assertThat(Json.parse(response.inspectionData().afterResultPath())).isEqualTo(Json.parse(response.output()));
  }

  @Test
  void shouldInvokeAFunctionByItsArnAndShowEachStepAtTrace() {
    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.TRACE)
        .definition("""
            {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
             "InputPath": "$.order", "OutputPath": "$.charge", "ResultPath": "$.charge", "End": true}""")
        .input("{\"order\": {\"order\": 8, \"amount\": 50}, \"other\": true}"));

    // then: a function ARN's result is the function's own output
    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isNull();
    assertThat(Json.parse(response.output())).isEqualTo(Json.parse("{\"chargeId\": \"ch-8\", \"amount\": 50}"));
    assertThat(Json.parse(response.inspectionData().input()))
        .isEqualTo(Json.parse("{\"order\": {\"order\": 8, \"amount\": 50}, \"other\": true}"));
    assertThat(Json.parse(response.inspectionData().afterInputPath())).isEqualTo(Json.parse("{\"order\": 8, \"amount\": 50}"));
    assertThat(Json.parse(response.inspectionData().result())).isEqualTo(Json.parse("{\"chargeId\": \"ch-8\", \"amount\": 50}"));
    assertThat(Json.parse(response.inspectionData().afterResultPath()))
        .isEqualTo(Json.parse("""
            {"order": {"order": 8, "amount": 50}, "other": true, "charge": {"chargeId": "ch-8", "amount": 50}}"""));
  }

  @Test
  void shouldFailWithTheFunctionsErrorAndCauseAndCatchIt() {
    // when: no catcher
    TestStateResponse failed = sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "decline"},
         "End": true}"""));

    // then
    assertThat(failed.status()).isEqualTo(TestExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("Payment.Declined");
    assertThat(failed.cause()).isEqualTo("card expired");
    assertThat(failed.output()).isNull();

    // when: a catcher
    TestStateResponse caught = sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "decline"},
         "Catch": [{"ErrorEquals": ["Payment.Declined"], "ResultPath": "$.error", "Next": "Refund"}],
         "Next": "Ship"}""").input("{\"order\": 1}"));

    // then
    assertThat(caught.status()).isEqualTo(TestExecutionStatus.CAUGHT_ERROR);
    assertThat(caught.nextState()).isEqualTo("Refund");
    assertThat(caught.error()).isEqualTo("Payment.Declined");
    assertThat(Json.parse(caught.output())).isEqualTo(Json.parse(
        "{\"order\": 1, \"error\": {\"Error\": \"Payment.Declined\", \"Cause\": \"card expired\"}}"));
  }

  @Test
  void shouldFailAFunctionNobodyServesAsAnExecutionsTaskFails() {
    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "ghost"},
         "End": true}"""));

    // then: what UnservedFunctions fails an execution's task with
    assertThat(response.status()).isEqualTo(TestExecutionStatus.FAILED);
    assertThat(response.error()).isEqualTo("Lambda.ResourceNotFoundException");
    String notFound = "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost (Service: AWSLambda; "
        + "Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ";
    assertThat(response.cause()).startsWith(notFound);

    // and an execution of the same state fails the same way
    String machine = sfn.createStateMachine(b -> b.name("ghost-caller").roleArn(ROLE).definition("""
        {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
         "Parameters": {"FunctionName": "ghost"}, "End": true}}}""")).stateMachineArn();
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine)).executionArn();
    DescribeExecutionResponse failed = SfnTestClients.awaitStatus(sfn, execution, ExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo(response.error());
    assertThat(failed.cause()).startsWith(notFound);
  }

  @Test
  void shouldTimeOutAFunctionThatRunsPastTimeoutSecondsAndCancelIt() throws Exception {
    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "slow"},
         "TimeoutSeconds": 1, "End": true}"""));

    // then
    assertThat(response.status()).isEqualTo(TestExecutionStatus.FAILED);
    assertThat(response.error()).isEqualTo("States.Timeout");
    // The worker gives the invocation up at the task's deadline.
    assertThat(SLOW_CANCELLED.await(90, TimeUnit.SECONDS)).as("the slow function was cancelled").isTrue();
  }

  @Test
  void shouldStartARequestResponseExecutionOfAVersionThroughStartExecution() {
    // given
    var created = sfn.createStateMachine(b -> b.name("child").roleArn(ROLE).publish(true).definition("""
        {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}"""));
    String versionArn = created.stateMachineVersionArn();

    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).inspectionLevel(InspectionLevel.DEBUG).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
         "Parameters": {"StateMachineArn": "%s", "Name": "from-test-state", "Input": {"order.$": "$.order"}},
         "ResultSelector": {"arn.$": "$.ExecutionArn", "started.$": "$.StartDate"}, "ResultPath": "$.child",
         "Next": "Wait"}""".formatted(versionArn)).input("{\"order\": 3}"));

    // then
    assertThat(response.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
    assertThat(response.nextState()).isEqualTo("Wait");
    JsonNode result = Json.parse(response.inspectionData().result());
    assertThat(result.path("ExecutionArn").asText()).isEqualTo(created.stateMachineArn()
        .replace(":stateMachine:", ":execution:") + ":from-test-state");
    assertThat(result.path("StartDate").isNumber()).isTrue();
    JsonNode output = Json.parse(response.output());
    assertThat(output.path("child").path("arn").asText()).isEqualTo(result.path("ExecutionArn").asText());
    DescribeExecutionResponse child = sfn.describeExecution(b -> b.executionArn(result.path("ExecutionArn").asText()));
    assertThat(child.stateMachineVersionArn()).isEqualTo(versionArn);
    assertThat(Json.parse(child.input())).isEqualTo(Json.parse("{\"order\": 3}"));
    assertThat(child.startDate().toEpochMilli()).isEqualTo(result.path("StartDate").asLong());
  }

  @Test
  void shouldFailAStartOfAStateMachineThatDoesNotExistAsTheTaskWould() {
    // when
    TestStateResponse response = sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
         "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:nowhere"},
         "End": true}"""));

    // then
    assertThat(response.status()).isEqualTo(TestExecutionStatus.FAILED);
    assertThat(response.error()).isEqualTo("StepFunctions.StateMachineDoesNotExistException");
    assertThat(response.cause()).contains("arn:aws:states:us-east-1:123456789012:stateMachine:nowhere")
        .contains("(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist)");
  }

  @Test
  void shouldRefuseOtherServicesWithWhatAnExecutionFailsWith() {
    assertThatThrownBy(() -> sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "End": true}""")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("No worker runs the resource 'arn:aws:states:::dynamodb:getItem'")
        .hasMessageContaining("States.Runtime");
    assertThatThrownBy(() -> sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
         "Parameters": {"FunctionName": "charge"}, "End": true}""")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("TestState does not support the .waitForTaskToken service integration pattern");
    assertThatThrownBy(() -> sfn.testState(b -> b.roleArn(ROLE).definition("""
        {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
         "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child"},
         "End": true}""")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("TestState does not support the .sync service integration pattern");
  }
}
