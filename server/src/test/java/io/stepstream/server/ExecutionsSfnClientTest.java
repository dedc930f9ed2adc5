package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.DispatchTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** Executions end to end: the AWS SDK against {@code dev} mode (embedded KRaft broker, coordinator, gateway). */
class ExecutionsSfnClientTest {

  static final String ROLE = SfnTestClients.ROLE;

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = client(dev.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  static SfnClient client(String endpoint) {
    return SfnTestClients.client(endpoint);
  }


  static String create(String name, String definition, StateMachineType type) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE).type(type)).stateMachineArn();
  }

  static DescribeExecutionResponse awaitStatus(String executionArn, ExecutionStatus status) {
    return SfnTestClients.awaitStatus(sfn, executionArn, status);
  }


  static <T> T waitFor(Supplier<T> probe, String what) {
    return SfnTestClients.waitFor(probe, what);
  }

  static <T> T waitFor(Supplier<T> probe, String what, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }


  @Test
  void shouldRunAStandardExecutionAndDescribeIt() {
    String machine = create("standard-pass", """
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.who)"}, "Next": "B"},
          "B": {"Type": "Choice", "Choices": [{"Variable": "$.greeting", "StringEquals": "hi bob", "Next": "Yes"}], "Default": "No"},
          "Yes": {"Type": "Succeed"}, "No": {"Type": "Fail", "Error": "NotBob"}}}""", StateMachineType.STANDARD);

    var started = sfn.startExecution(b -> b.stateMachineArn(machine).name("run-1").input("{\"who\":\"bob\"}"));
    assertThat(started.executionArn()).isEqualTo(machine.replace(":stateMachine:", ":execution:") + ":run-1");

    DescribeExecutionResponse done = awaitStatus(started.executionArn(), ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"greeting\":\"hi bob\"}");
    assertThat(done.input()).isEqualTo("{\"who\":\"bob\"}");
    assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());

    var failed = sfn.startExecution(b -> b.stateMachineArn(machine).name("run-2").input("{\"who\":\"eve\"}"));
    DescribeExecutionResponse fail = awaitStatus(failed.executionArn(), ExecutionStatus.FAILED);
    assertThat(fail.error()).isEqualTo("NotBob");
  }

  /**
   * Map after Map and Parallel after Parallel, all run in one step (the coordinator's for STANDARD,
   * the gateway's for StartSyncExecution): each state runs its own processor or branches.
   */
  @Test
  void shouldRunEachMapAndParallelWithItsOwnFlowsWhenTheyFollowEachOther() {
    String definition = """
        {"StartAt": "A", "States": {
          "A": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.a",
                "ItemProcessor": {"StartAt": "InA", "States": {"InA": {"Type": "Pass", "Result": "a", "End": true}}},
                "Next": "B"},
          "B": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.b",
                "ItemProcessor": {"StartAt": "InB", "States": {"InB": {"Type": "Pass", "Result": "b", "End": true}}},
                "Next": "P"},
          "P": {"Type": "Parallel", "ResultPath": "$.p", "Next": "Q",
                "Branches": [{"StartAt": "InP", "States": {"InP": {"Type": "Pass", "Result": "p", "End": true}}}]},
          "Q": {"Type": "Parallel", "ResultPath": "$.q", "End": true,
                "Branches": [{"StartAt": "InQ", "States": {"InQ": {"Type": "Pass", "Result": "q", "End": true}}}]}}}""";
    String expected = "{\"items\":[1,2],\"a\":[\"a\",\"a\"],\"b\":[\"b\",\"b\"],\"p\":[\"p\"],\"q\":[\"q\"]}";

    String standard = create("maps-in-a-row", definition, StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(standard).input("{\"items\": [1, 2]}")).executionArn();
    assertThat(awaitStatus(arn, ExecutionStatus.SUCCEEDED).output()).isEqualTo(expected);

    String express = create("maps-in-a-row-sync", definition, StateMachineType.EXPRESS);
    StartSyncExecutionResponse sync = sfn.startSyncExecution(b -> b.stateMachineArn(express).input("{\"items\": [1, 2]}"));
    assertThat(sync.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(sync.output()).isEqualTo(expected);
  }

  @Test
  void shouldRejectBadStartsAndWriteNothing() {
    String machine = create("rejects", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}",
        StateMachineType.STANDARD);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input("{not json")))
        .isInstanceOf(InvalidExecutionInputException.class);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":1}")).executionArn();
    awaitStatus(arn, ExecutionStatus.RUNNING);
    // The same name and input while it runs is the same request; another input collides.
    assertThat(sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\": 1}")).executionArn())
        .isEqualTo(arn);
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("once").input("{\"a\":2}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(machine.replace(":stateMachine:", ":execution:") + ":nope")))
        .isInstanceOf(ExecutionDoesNotExistException.class);

    sfn.stopExecution(b -> b.executionArn(arn).error("Operator").cause("no longer needed"));
    DescribeExecutionResponse aborted = awaitStatus(arn, ExecutionStatus.ABORTED);
    assertThat(aborted.error()).isEqualTo("Operator");
  }

  @Test
  void shouldAnswerStartSyncExecutionWithTheOutputOrTheError() {
    String machine = create("express-sync", """
        {"StartAt": "Check", "States": {
          "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Small"},
          "Big": {"Type": "Pass", "Result": "big", "End": true},
          "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n <= 10"}}}""", StateMachineType.EXPRESS);

    StartSyncExecutionResponse ok = sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"n\": 11}"));
    assertThat(ok.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(ok.output()).isEqualTo("\"big\"");
    assertThat(ok.executionArn()).contains(":express:express-sync:");

    StartSyncExecutionResponse failed = sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"n\": 1}"));
    assertThat(failed.status()).isEqualTo(SyncExecutionStatus.FAILED);
    assertThat(failed.error()).isEqualTo("TooSmall");
    assertThat(failed.cause()).isEqualTo("n <= 10");
  }

  /**
   * An asynchronous EXPRESS execution that needs only the interpreter runs in the gateway; one that
   * waits runs in the coordinator. Both must be known the same way: described at once after the start
   * answered (no waiting), with the same status, input, output, error and cause.
   */
  @Test
  void shouldRecordAnAsynchronousExpressExecutionRunInTheGatewayAsTheCoordinatorRecordsIt() {
    String choices = """
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Small"},
          "Big": {"Type": "Pass", "Parameters": {"size": "big", "n.$": "$.n"}, "End": true},
          "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n <= 10"}""";
    String here = create("express-here", "{\"StartAt\": \"Check\", \"States\": {" + choices + "}}",
        StateMachineType.EXPRESS);
    String coordinated = create("express-coordinated", "{\"StartAt\": \"Pause\", \"States\": {"
        + "\"Pause\": {\"Type\": \"Wait\", \"Seconds\": 0, \"Next\": \"Check\"}, " + choices + "}}",
        StateMachineType.EXPRESS);

    String bigHere = sfn.startExecution(b -> b.stateMachineArn(here).input("{\"n\": 11}")).executionArn();
    DescribeExecutionResponse bigHereNow = sfn.describeExecution(b -> b.executionArn(bigHere));
    String smallHere = sfn.startExecution(b -> b.stateMachineArn(here).input("{\"n\": 1}")).executionArn();
    DescribeExecutionResponse smallHereNow = sfn.describeExecution(b -> b.executionArn(smallHere));
    String big = sfn.startExecution(b -> b.stateMachineArn(coordinated).input("{\"n\": 11}")).executionArn();
    String small = sfn.startExecution(b -> b.stateMachineArn(coordinated).input("{\"n\": 1}")).executionArn();
    DescribeExecutionResponse bigThere = awaitStatus(big, ExecutionStatus.SUCCEEDED);
    DescribeExecutionResponse smallThere = awaitStatus(small, ExecutionStatus.FAILED);

    // Ran to its end before the start answered: no RUNNING in between.
    assertThat(bigHereNow.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(bigHereNow.output()).isEqualTo(bigThere.output()).isEqualTo("{\"size\":\"big\",\"n\":11}");
    assertThat(bigHereNow.input()).isEqualTo(bigThere.input());
    assertThat(smallHereNow.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(smallHereNow.error()).isEqualTo(smallThere.error()).isEqualTo("TooSmall");
    assertThat(smallHereNow.cause()).isEqualTo(smallThere.cause()).isEqualTo("n <= 10");
  }

  @Test
  void shouldResumeAWaitForTaskTokenStateWithSendTaskSuccess() throws Exception {
    String machine = create("callback", """
        {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
          "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": {"token.$": "$$.Task.Token", "order.$": "$.order"}, "ResultPath": "$.approval", "End": true}}}""",
        StateMachineType.STANDARD);
    try (KafkaConsumer<String, byte[]> tasks = tasksConsumer()) {
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("order-7").input("{\"order\": 7}")).executionArn();
      DispatchTask task = waitFor(() -> {
        for (ConsumerRecord<String, byte[]> record : tasks.poll(Duration.ofMillis(200))) {
          if (record.key().equals(arn)) {
            try {
              return DispatchTask.parseFrom(record.value());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
        }
        return null;
      }, "the task of " + arn);
      assertThat(task.getInput()).contains(task.getTaskToken()).contains("\"order\":7");

      assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("not-a-token").output("{}")))
          .isInstanceOf(InvalidTokenException.class);
      // The task is on the tasks topic, so its execution has committed it: it is pending at once.
      sfn.sendTaskHeartbeat(b -> b.taskToken(task.getTaskToken()));
      sfn.sendTaskSuccess(b -> b.taskToken(task.getTaskToken()).output("{\"approved\": true}"));

      DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo("{\"order\":7,\"approval\":{\"approved\":true}}");
      assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(task.getTaskToken()).output("{}")))
          .isInstanceOf(TaskTimedOutException.class);
    }
  }

  @Test
  void shouldFailATaskOnItsTimeoutAndCatchIt() {
    String machine = create("timeout", """
        {"StartAt": "Slow", "States": {
          "Slow": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 1,
                   "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "TimedOut"}], "End": true},
          "TimedOut": {"Type": "Pass", "End": true}}}""", StateMachineType.STANDARD);

    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).contains("\"Error\":\"States.Timeout\"");
  }

  @Test
  void shouldRetryWithBackoffOnARealClock() {
    String machine = create("retry", """
        {"StartAt": "Flaky", "States": {
          "Flaky": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 1,
                    "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}}""",
        StateMachineType.STANDARD);

    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.FAILED);
    assertThat(done.error()).isEqualTo("States.Timeout");
    // Two attempts of 1 s each plus a 1 s back-off.
    assertThat(Duration.between(done.startDate(), done.stopDate())).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
  }

  private static KafkaConsumer<String, byte[]> tasksConsumer() {
    return SfnTestClients.tasksConsumer(dev.bootstrapServers());
  }

}
