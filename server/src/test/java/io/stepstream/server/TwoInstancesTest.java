package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.client;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.server.role.ProjectorRole;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.Roles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Two instances with every role and a third running the gateway alone, on one Kafka cluster: whatever
 * instance a request reaches, it sees every execution at once, as one instance would. No read here
 * is retried: once a write has answered, every read on every instance must know it.
 */
class TwoInstancesTest {

  private static final int EXECUTIONS = 24;

  @TempDir
  static Path dataDir;

  private static TestCluster cluster;
  private static Roles first;
  private static Roles second;
  private static Roles gatewayOnly;

  @BeforeAll
  static void startThreeInstances() throws Exception {
    cluster = new TestCluster(dataDir, 4);
    first = cluster.start("a", TestCluster.ALL_ROLES);
    second = cluster.start("b", TestCluster.ALL_ROLES);
    gatewayOnly = cluster.start("c", List.of("gateway"));
    // Both full instances must hold some partitions, or nothing here would cross instances.
    waitFor(() -> !first.find(ProjectorRole.class).projector().activePartitions().isEmpty()
        && !second.find(ProjectorRole.class).projector().activePartitions().isEmpty() ? true : null,
        "the partitions to spread over both instances");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldServeEveryExecutionThroughAnyInstanceAtOnce() {
    try (SfnClient a = client(first.find(GatewayRole.class).endpoint());
        SfnClient b = client(second.find(GatewayRole.class).endpoint());
        SfnClient c = client(gatewayOnly.find(GatewayRole.class).endpoint())) {
      List<SfnClient> gateways = List.of(a, b, c);
      String machine = a.createStateMachine(r -> r.name("approval").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                               "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
                "ResultPath": "$.approval", "End": true}}}""")).stateMachineArn();
      // No wait for the other gateways to see the new state machine: they look it up at the registry
      // topic's end.
      assertThat(c.describeStateMachine(r -> r.stateMachineArn(machine)).name()).isEqualTo("approval");
      Set<Integer> heldByA = first.find(ProjectorRole.class).projector().activePartitions();

      List<String> arns = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        int n = i;
        SfnClient writer = gateways.get(i % 3);
        SfnClient reader = gateways.get((i + 1) % 3);
        String arn = writer.startExecution(r -> r.stateMachineArn(machine).name("order-" + n).input("{\"n\": " + n + "}"))
            .executionArn();
        arns.add(arn);
        // Read your writes, on another instance, at once.
        assertThat(reader.describeExecution(r -> r.executionArn(arn)).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(gateways.get((i + 2) % 3).getExecutionHistory(r -> r.executionArn(arn)).events())
            .extracting(HistoryEvent::type).contains(HistoryEventType.EXECUTION_STARTED);
        assertThat(reader.describeStateMachineForExecution(r -> r.executionArn(arn)).stateMachineArn())
            .isEqualTo(machine);
      }
      assertThat(arns).as("executions held by instance A's projector")
          .anyMatch(arn -> heldByA.contains(ExecutionArn.partition(arn, 4)))
          .anyMatch(arn -> !heldByA.contains(ExecutionArn.partition(arn, 4)));

      // A name is taken once, wherever the request arrives: the same input while it runs is the same
      // request, any other input collides.
      for (SfnClient gateway : gateways) {
        assertThat(gateway.startExecution(r -> r.stateMachineArn(machine).name("order-3").input("{\"n\":3}"))
            .executionArn()).isEqualTo(arns.get(3));
        for (int i = 0; i < EXECUTIONS; i++) {
          int n = i;
          assertThatThrownBy(() -> gateway.startExecution(r -> r.stateMachineArn(machine).name("order-" + n)
              .input("{\"n\": -1}"))).isInstanceOf(ExecutionAlreadyExistsException.class);
        }
      }
      for (SfnClient gateway : gateways) {
        assertThat(listAll(gateway, machine, null)).containsExactlyInAnyOrderElementsOf(arns);
        assertThat(listAll(gateway, machine, ExecutionStatus.RUNNING)).containsExactlyInAnyOrderElementsOf(arns);
      }

      for (int i = 0; i < EXECUTIONS; i++) {
        String arn = arns.get(i);
        String token = token(gateways.get(i % 3), arn);
        gateways.get((i + 1) % 3).sendTaskHeartbeat(r -> r.taskToken(token));
        gateways.get((i + 2) % 3).sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\": true}"));
        // The result has answered: every instance shows its outcome.
        for (SfnClient gateway : gateways) {
          assertThat(gateway.describeExecution(r -> r.executionArn(arn)).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        }
      }
      for (SfnClient gateway : gateways) {
        assertThat(listAll(gateway, machine, ExecutionStatus.SUCCEEDED)).containsExactlyInAnyOrderElementsOf(arns);
        assertThat(listAll(gateway, machine, ExecutionStatus.RUNNING)).isEmpty();
      }
      assertThat(c.describeExecution(r -> r.executionArn(arns.get(0))).output())
          .isEqualTo("{\"n\":0,\"approval\":{\"approved\":true}}");
    }
  }

  /**
   * An asynchronous EXPRESS execution that needs only the interpreter runs in the gateway that got
   * it (the gateway-only instance too) and is answered once its records are written: another
   * instance must describe it at once, ended, as the coordinator would have recorded it.
   */
  @Test
  void shouldDescribeAnExpressExecutionRunInAGatewayOnAnotherInstanceAtOnce() {
    try (SfnClient a = client(first.find(GatewayRole.class).endpoint());
        SfnClient b = client(second.find(GatewayRole.class).endpoint());
        SfnClient c = client(gatewayOnly.find(GatewayRole.class).endpoint())) {
      List<SfnClient> gateways = List.of(a, b, c);
      String machine = b.createStateMachine(r -> r.name("express-here").roleArn(ROLE).type(StateMachineType.EXPRESS)
          .definition("""
              {"StartAt": "Check", "States": {
                "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 0, "Next": "Refuse"}],
                          "Default": "Double"},
                "Double": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": true},
                "Refuse": {"Type": "Fail", "Error": "Negative", "Cause": "n < 0"}}}""")).stateMachineArn();
      for (int i = 0; i < EXECUTIONS; i++) {
        int n = i % 4 == 3 ? -i : i;
        String arn = gateways.get(i % 3).startExecution(r -> r.stateMachineArn(machine).input("{\"n\": " + n + "}"))
            .executionArn();
        DescribeExecutionResponse described = gateways.get((i + 1) % 3).describeExecution(r -> r.executionArn(arn));
        if (n < 0) {
          assertThat(described.status()).as(arn).isEqualTo(ExecutionStatus.FAILED);
          assertThat(described.error()).isEqualTo("Negative");
        } else {
          assertThat(described.status()).as(arn).isEqualTo(ExecutionStatus.SUCCEEDED);
          assertThat(described.output()).isEqualTo("{\"doubled\":" + 2 * n + "}");
        }
      }
    }
  }

  @Test
  void shouldStopAnExecutionThroughAGatewayAlone() {
    try (SfnClient a = client(first.find(GatewayRole.class).endpoint());
        SfnClient c = client(gatewayOnly.find(GatewayRole.class).endpoint())) {
      String machine = a.createStateMachine(r -> r.name("waits").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""")).stateMachineArn();
      for (int i = 0; i < 8; i++) {
        int n = i;
        String arn = c.startExecution(r -> r.stateMachineArn(machine).name("far-" + n)).executionArn();
        c.stopExecution(r -> r.executionArn(arn).error("Cancelled"));
        var described = a.describeExecution(r -> r.executionArn(arn));
        assertThat(described.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(described.error()).isEqualTo("Cancelled");
        // Stopping a stopped execution answers with when it stopped.
        assertThat(c.stopExecution(r -> r.executionArn(arn)).stopDate()).isEqualTo(described.stopDate());
      }
    }
  }

  @Test
  void shouldServeNoInternalActionOnThePublicPort() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (Roles instance : List.of(first, gatewayOnly)) {
      for (String action : List.of("Internal.DescribeExecution", "Internal.GetExecutionHistory",
          "Internal.ListExecutions", "Internal.StartExecution")) {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(instance.find(GatewayRole.class).endpoint() + "/"))
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Target", "AWSStepFunctions." + action)
            .POST(HttpRequest.BodyPublishers.ofString("{\"executionArn\": \"arn:aws:states:us-east-1:123456789012:"
                + "execution:m:e\", \"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:m\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(action).isEqualTo(400);
        assertThat(Json.parse(response.body()).path("__type").asText()).as(action).isEqualTo("UnknownOperationException");
      }
    }
  }

  /** Every execution of a state machine (optionally of one status), through pages of 7. */
  private static List<String> listAll(SfnClient sfn, String machine, ExecutionStatus status) {
    List<String> all = new ArrayList<>();
    String next = null;
    do {
      String page = next;
      ListExecutionsResponse response = sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(7)
          .statusFilter(status).nextToken(page));
      response.executions().stream().map(ExecutionListItem::executionArn).forEach(all::add);
      next = response.nextToken();
    } while (next != null);
    return all;
  }

  /** The task token from the TaskScheduled event's parameters (the task is scheduled when the start answers). */
  private static String token(SfnClient sfn, String arn) {
    for (HistoryEvent event : sfn.getExecutionHistory(r -> r.executionArn(arn)).events()) {
      if (event.type() == HistoryEventType.TASK_SCHEDULED) {
        JsonNode parameters = Json.parse(event.taskScheduledEventDetails().parameters());
        return parameters.path("MessageBody").path("token").asText();
      }
    }
    throw new AssertionError("no TaskScheduled event in the history of " + arn);
  }
}
