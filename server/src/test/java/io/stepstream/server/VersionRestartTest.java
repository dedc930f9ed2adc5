package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.stepstream.gateway.api.Arns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;

/**
 * An execution started on a version keeps running that version's definition after the state machine
 * was updated and every process (broker and roles) restarted; versions and aliases survive the restart.
 */
class VersionRestartTest {

  @TempDir
  Path dataDir;

  @Test
  void shouldRunTheVersionsDefinitionAfterAnUpdateAndARestart() {
    String machine;
    String execution;
    String token;
    String alias;
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = SfnTestClients.client(dev.endpoint())) {
      String activity = sfn.createActivity(b -> b.name("hold")).activityArn();
      machine = sfn.createStateMachine(b -> b.name("held").roleArn(SfnTestClients.ROLE).publish(true)
          .definition(waitingThenReturning(activity, "1"))).stateMachineArn();
      alias = sfn.createStateMachineAlias(b -> b.name("prod").routingConfiguration(
          RoutingConfigurationListItem.builder().stateMachineVersionArn(machine + ":1").weight(100).build()))
          .stateMachineAliasArn();
      String aliasArn = alias;
      execution = sfn.startExecution(b -> b.stateMachineArn(aliasArn).name("held-1")).executionArn();
      // The execution waits in its activity task until the token is answered.
      GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity));
      assertThat(task.taskToken()).isNotBlank();
      token = task.taskToken();
      String machineArn = machine;
      sfn.updateStateMachine(b -> b.stateMachineArn(machineArn).definition(waitingThenReturning(activity, "2"))
          .publish(true));
    }

    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
        SfnClient sfn = SfnTestClients.client(dev.endpoint())) {
      sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}"));
      DescribeExecutionResponse done = HistorySfnClientTest.awaitDone(sfn, execution);

      assertThat(done.output()).isEqualTo("{\"v\":\"1\"}");
      assertThat(done.stateMachineVersionArn()).isEqualTo(machine + ":1");
      assertThat(done.stateMachineAliasArn()).isEqualTo(alias);
      assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(machine)).stateMachineVersions())
          .extracting(v -> v.stateMachineVersionArn()).containsExactly(machine + ":2", machine + ":1");
      String aliasArn = alias;
      assertThat(sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(aliasArn)).routingConfiguration())
          .extracting(r -> r.stateMachineVersionArn()).containsExactly(machine + ":1");
      assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine + ":1")).definition())
          .contains("\"v\": \"1\"");
    }
  }

  private static String waitingThenReturning(String activity, String value) {
    return """
        {"StartAt": "Hold", "States": {
          "Hold": {"Type": "Task", "Resource": "%s", "Next": "P"},
          "P": {"Type": "Pass", "Result": {"v": "%s"}, "End": true}}}""".formatted(activity, value);
  }
}
