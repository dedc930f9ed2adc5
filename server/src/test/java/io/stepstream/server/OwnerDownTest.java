package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.client;
import static io.stepstream.server.SfnTestClients.clientWithoutRetries;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.ProjectorRole;
import io.stepstream.server.role.Roles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Unavailable is not absent: while the instance holding some executions goes away and its partitions
 * move, reads of those executions answer a retryable 503 or the truth, never ExecutionDoesNotExist.
 * The clients here do not retry, so every answer counts.
 */
class OwnerDownTest {

  @TempDir
  static Path dataDir;

  private static TestCluster cluster;
  private static Roles stays;
  private static Roles leaves;
  private static Roles gatewayOnly;

  @BeforeAll
  static void startInstances() throws Exception {
    cluster = new TestCluster(dataDir, 4);
    stays = cluster.start("stays", TestCluster.ALL_ROLES);
    leaves = cluster.start("leaves", List.of("projector"));
    gatewayOnly = cluster.start("gateway", List.of("gateway"));
    waitFor(() -> !leaves.find(ProjectorRole.class).projector().activePartitions().isEmpty() ? true : null,
        "the second projector to hold partitions");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldAnswerRetryablyWhileAnOwnerLeavesAndNeverDenyAnExecution() {
    String endpoint = gatewayOnly.find(GatewayRole.class).endpoint();
    String other = stays.find(GatewayRole.class).endpoint();
    try (SfnClient setup = client(endpoint); SfnClient viaGateway = clientWithoutRetries(endpoint);
        SfnClient viaOther = clientWithoutRetries(other)) {
      String machine = setup.createStateMachine(r -> r.name("long").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""")).stateMachineArn();
      List<String> arns = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int n = i;
        arns.add(setup.startExecution(r -> r.stateMachineArn(machine).name("e-" + n)).executionArn());
      }

      leaves.close();

      Map<String, Integer> answers = new TreeMap<>();
      waitFor(() -> {
        boolean allKnown = true;
        for (String arn : arns) {
          for (SfnClient sfn : List.of(viaGateway, viaOther)) {
            String answer;
            try {
              answer = sfn.describeExecution(r -> r.executionArn(arn)).status() == ExecutionStatus.RUNNING
                  ? "RUNNING" : "wrong status";
            } catch (SfnException e) {
              answer = e.statusCode() + " " + e.awsErrorDetails().errorCode();
            }
            answers.merge(answer, 1, Integer::sum);
            allKnown &= answer.equals("RUNNING");
          }
        }
        return allKnown ? true : null;
      }, "every execution to be readable again");

      System.out.println("owner down: answers while partitions moved: " + answers);
      assertThat(answers.keySet()).as("answers while partitions moved: " + answers)
          .allMatch(answer -> answer.equals("RUNNING") || answer.equals("503 ServiceUnavailable"));
      assertThat(viaOther.listExecutions(r -> r.stateMachineArn(machine).maxResults(100)).executions()).hasSize(40);
    }
  }
}
