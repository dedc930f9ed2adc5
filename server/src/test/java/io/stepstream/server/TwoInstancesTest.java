package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.client;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.EmbeddedKafkaBroker;
import io.stepstream.kafka.Topics;
import io.stepstream.server.role.ProjectorRole;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.LocalServices;
import io.stepstream.server.role.Platform;
import io.stepstream.server.role.Roles;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
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

  private static EmbeddedKafkaBroker broker;
  private static Roles first;
  private static Roles second;
  private static Roles gatewayOnly;

  @BeforeAll
  static void startThreeInstances() throws Exception {
    broker = EmbeddedKafkaBroker.start(Files.createDirectories(dataDir.resolve("kafka")));
    Topics topics = Topics.defaults();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      topics.create(admin, 4, (short) 1);
    }
    first = start(topics, "a", List.copyOf(Roles.ALL.keySet()));
    second = start(topics, "b", List.copyOf(Roles.ALL.keySet()));
    gatewayOnly = start(topics, "c", List.of("gateway"));
    // Both full instances must hold some partitions, or nothing here would cross instances.
    waitFor(() -> !first.find(ProjectorRole.class).projector().activePartitions().isEmpty()
        && !second.find(ProjectorRole.class).projector().activePartitions().isEmpty() ? true : null,
        "the partitions to spread over both instances");
  }

  /** Starts an instance as {@code stepstream run --roles ...} does: its own ports and state. */
  private static Roles start(Topics topics, String name, List<String> roles) throws IOException {
    Platform platform = new Platform(broker.bootstrapServers(), topics, Arns.defaults(), "127.0.0.1", freePort(), 0,
        Files.createDirectories(dataDir.resolve(name)), Clock.systemUTC(), new AtomicBoolean(), new LocalServices());
    return Roles.start(platform, roles);
  }

  @AfterAll
  static void stop() {
    for (Roles roles : new Roles[] {gatewayOnly, second, first}) {
      if (roles != null) {
        roles.close();
      }
    }
    if (broker != null) {
      broker.close();
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
      // No wait for the other gateways to see the new state machine: a start there looks it up at the
      // registry topic's end.
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
