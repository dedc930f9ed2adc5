package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * A {@code .sync} child's end reaches its parent from the child's coordinator, not from the worker
 * that started it: with that worker gone while the child runs, the parent still gets the result.
 */
class SyncChildTest {

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = ExecutionsSfnClientTest.client(dev.endpoint());
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
  void shouldCompleteTheParentWhenTheWorkerStopsWhileTheChildRuns() {
    String child = sfn.createStateMachine(b -> b.name("slow-child").type(StateMachineType.STANDARD).roleArn(ROLE)
        .definition("""
            {"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 12, "Next": "Done"},
              "Done": {"Type": "Pass", "Parameters": {"slept.$": "$.seconds"}, "End": true}}}""")).stateMachineArn();
    String parent = sfn.createStateMachine(b -> b.name("sync-parent").type(StateMachineType.STANDARD).roleArn(ROLE)
        .definition("""
            {"StartAt": "Run", "States": {"Run": {"Type": "Task",
              "Resource": "arn:aws:states:::states:startExecution.sync:2",
              "Parameters": {"StateMachineArn": "%s", "Input": {"seconds": 12}},
              "OutputPath": "$.Output", "End": true}}}""".formatted(child))).stateMachineArn();
    String arn = sfn.startExecution(b -> b.stateMachineArn(parent).input("{}")).executionArn();
    String childArn = waitFor(() -> {
      List<ExecutionListItem> running = sfn.listExecutions(b -> b.stateMachineArn(child)).executions();
      return running.isEmpty() ? null : running.get(0).executionArn();
    }, "the child to start");
    assertThat(sfn.describeExecution(b -> b.executionArn(childArn)).status()).isEqualTo(ExecutionStatus.RUNNING);

    // The worker that started the child, and the only one, goes away: it waits 10 s for running
    // tasks, then abandons them, well before the child ends.
    dev.worker().close();

    assertThat(awaitStatus(sfn, childArn, ExecutionStatus.SUCCEEDED).output()).isEqualTo("{\"slept\":12}");
    JsonNode output = Json.parse(awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED).output());
    assertThat(output).isEqualTo(Json.parse("{\"slept\": 12}"));
  }
}
