package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.DispatchTask;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** RedriveExecution through the AWS SDK, and {@code stepstream replay} on the history dev mode wrote. */
class RedriveAndReplayTest {

  private static final String CALLBACK = """
      {"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": "ready", "ResultPath": "$.prepared", "Next": "Approve"},
        "Approve": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"token.$": "$$.Task.Token"}, "ResultPath": "$.approval", "End": true}}}""";

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = SfnTestClients.client(dev.endpoint());
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

  @Test
  void shouldRedriveATaskFailedWithSendTaskFailureAndSucceed() {
    String machine = create("redrive-callback", CALLBACK);
    try (KafkaConsumer<String, byte[]> tasks = tasksConsumer()) {
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("r-1").input("{}")).executionArn();
      DispatchTask first = nextTask(tasks, arn);
      sendWhenPending(() -> sfn.sendTaskFailure(b -> b.taskToken(first.getTaskToken()).error("Rejected").cause("no")));
      DescribeExecutionResponse failed = awaitStatus(arn, ExecutionStatus.FAILED);
      assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
      assertThat(failed.redriveCount()).isZero();

      var redriven = sfn.redriveExecution(b -> b.executionArn(arn).clientToken("redrive-1"));
      assertThat(redriven.redriveDate()).isNotNull();
      DispatchTask second = nextTask(tasks, arn);
      assertThat(second.getTaskToken()).isNotEqualTo(first.getTaskToken());
      DescribeExecutionResponse running = awaitStatus(arn, ExecutionStatus.RUNNING);
      assertThat(running.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
      // The same client token again is the same request.
      assertThat(sfn.redriveExecution(b -> b.executionArn(arn).clientToken("redrive-1")).redriveDate())
          .isEqualTo(running.redriveDate());
      sendWhenPending(() -> sfn.sendTaskSuccess(b -> b.taskToken(second.getTaskToken()).output("{\"ok\": true}")));

      DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);
      assertThat(done.redriveCount()).isEqualTo(1);
      assertThat(done.redriveDate()).isNotNull();
      assertThat(done.output()).isEqualTo("{\"prepared\":\"ready\",\"approval\":{\"ok\":true}}");
      assertThat(done.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
      assertThat(done.redriveStatusReason()).isEqualTo("Execution is SUCCEEDED and cannot be redriven.");
      assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
          .isInstanceOf(ExecutionNotRedrivableException.class);

      // The redriven history replays deterministically too.
      assertThat(waitFor(() -> {
        Result replay = replay("--execution", arn);
        return replay.out().contains("SUCCEEDED") ? replay : null;
      }, "the history of " + arn).exit()).isZero();
    }
  }

  @Test
  void shouldReplayAnExecutionFromTheLogAndFindADivergenceAgainstAChangedDefinition() throws Exception {
    String machine = create("replayed", """
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Result": {"n": 3}, "ResultPath": "$.r", "Next": "B"},
          "B": {"Type": "Choice", "Choices": [{"Variable": "$.r.n", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
          "Big": {"Type": "Pass", "Result": "big", "End": true},
          "Small": {"Type": "Pass", "Result": "small", "End": true}}}""");
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("p-1").input("{}")).executionArn();
    awaitStatus(arn, ExecutionStatus.SUCCEEDED);

    Result same = waitFor(() -> {
      Result replay = replay("--execution", arn);
      return replay.out().contains("SUCCEEDED") ? replay : null;
    }, "the history of " + arn);
    assertThat(same.exit()).isZero();
    assertThat(same.out()).startsWith("deterministic (1 commands, ");

    Path changed = Files.writeString(dataDir.resolve("changed.json"), """
        {"StartAt": "A", "States": {
          "A": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.r", "Next": "B"},
          "B": {"Type": "Choice", "Choices": [{"Variable": "$.r.n", "NumericGreaterThan": 2, "Next": "Big"}], "Default": "Small"},
          "Big": {"Type": "Pass", "Result": "big", "End": true},
          "Small": {"Type": "Pass", "Result": "small", "End": true}}}""");
    Result diverged = replay("--execution", arn, "--definition", changed.toString());
    assertThat(diverged.exit()).isEqualTo(1);
    // Events: 1 ExecutionStarted, 2 PassStateEntered (A), 3 PassStateExited (A) with another output.
    assertThat(diverged.out()).startsWith("diverged at event 3 (command START_EXECUTION): expected PassStateExited");

    Result at = replay("--execution", arn, "--at", "3");
    assertThat(at.exit()).isZero();
    JsonNode state = Json.parse(at.out());
    assertThat(state.get("status").asText()).isEqualTo("RUNNING");
    assertThat(state.get("lastEventId").asLong()).isEqualTo(3);
    assertThat(state.get("root").get("stateName").asText()).isEqualTo("B");
  }

  @Test
  void shouldSaySoWhenTheExecutionHasNoHistory() {
    Result replay = replay("--execution", "arn:aws:states:us-east-1:123456789012:execution:none:nothing");
    assertThat(replay.exit()).isEqualTo(2);
  }

  private record Result(int exit, String out) {}

  private static Result replay(String... args) {
    StringWriter out = new StringWriter();
    CommandLine line = new CommandLine(new StepstreamCommand());
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(new StringWriter()));
    String[] all = new String[args.length + 3];
    all[0] = "replay";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data-dir";
    all[args.length + 2] = dataDir.toString();
    return new Result(line.execute(all), out.toString().trim());
  }

  private static String create(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(SfnTestClients.ROLE)
        .type(StateMachineType.STANDARD)).stateMachineArn();
  }

  static DescribeExecutionResponse awaitStatus(String executionArn, ExecutionStatus status) {
    return SfnTestClients.awaitStatus(sfn, executionArn, status);
  }


  /** Sends a task result: the task was read from the tasks topic, so its execution committed it as pending. */
  private static void sendWhenPending(Runnable send) {
    send.run();
  }

  private static DispatchTask nextTask(KafkaConsumer<String, byte[]> tasks, String arn) {
    return waitFor(() -> {
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
    }, "a task of " + arn);
  }

  private static KafkaConsumer<String, byte[]> tasksConsumer() {
    return SfnTestClients.tasksConsumer(dev.bootstrapServers());
  }

}
