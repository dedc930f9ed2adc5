package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.client;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.coordinator.Coordinator;
import io.stepstream.gateway.api.Arns;
import io.stepstream.server.kafka.EmbeddedKafkaBroker;
import io.stepstream.server.kafka.Topics;
import io.stepstream.server.role.CoordinatorRole;
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
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Two instances with every role on one Kafka cluster, each holding some partitions: whatever
 * instance a request reaches, it sees every execution, as one instance would.
 */
class TwoInstancesTest {

  private static final int EXECUTIONS = 20;

  @TempDir
  static Path dataDir;

  private static EmbeddedKafkaBroker broker;
  private static Roles first;
  private static Roles second;

  @BeforeAll
  static void startTwoInstances() throws Exception {
    broker = EmbeddedKafkaBroker.start(Files.createDirectories(dataDir.resolve("kafka")));
    Topics topics = Topics.defaults();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      topics.create(admin, 2, (short) 1);
    }
    first = start(topics, "a");
    second = start(topics, "b");
  }

  /** Starts an instance as {@code stepstream run} does: every role, its own port and state. */
  private static Roles start(Topics topics, String name) throws IOException {
    Platform platform = new Platform(broker.bootstrapServers(), topics, Arns.defaults(), "127.0.0.1", freePort(),
        Files.createDirectories(dataDir.resolve(name)), Clock.systemUTC(), new AtomicBoolean(), new LocalServices());
    return Roles.start(platform, List.copyOf(Roles.ALL.keySet()));
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldServeEveryExecutionThroughEitherInstance() {
    try (SfnClient a = client(first.find(GatewayRole.class).endpoint());
        SfnClient b = client(second.find(GatewayRole.class).endpoint())) {
      String machine = a.createStateMachine(r -> r.name("approval").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                               "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
                "ResultPath": "$.approval", "End": true}}}""")).stateMachineArn();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        names.add("order-" + i);
      }
      List<String> arns = names.stream().map(n -> machine.replace(":stateMachine:", ":execution:") + ":" + n).toList();
      Coordinator coordinatorA = first.find(CoordinatorRole.class).coordinator();
      Coordinator coordinatorB = second.find(CoordinatorRole.class).coordinator();
      // Both instances must own some of the executions, or nothing here would cross instances.
      waitFor(() -> arns.stream().anyMatch(arn -> coordinatorA.remoteOwner(arn).isPresent())
          && arns.stream().anyMatch(arn -> coordinatorB.remoteOwner(arn).isPresent()) ? true : null,
          "the partitions to spread over both instances");
      waitFor(() -> b.listStateMachines(r -> r.maxResults(10)).stateMachines().isEmpty() ? null : true,
          "instance B to see the state machine");

      for (int i = 0; i < EXECUTIONS; i++) {
        int n = i;
        a.startExecution(r -> r.stateMachineArn(machine).name(names.get(n)).input("{\"n\": " + n + "}"));
      }
      for (String arn : arns) {
        waitFor(() -> catchApi(() -> b.describeExecution(r -> r.executionArn(arn))) == null ? true : null,
            arn + " to start");
      }
      // A start of the same name and other input collides wherever the execution lives; the same input
      // while it runs is the same request.
      assertThat(b.startExecution(r -> r.stateMachineArn(machine).name(names.get(3)).input("{\"n\": 3}")).executionArn())
          .isEqualTo(arns.get(3));
      String input = "{\"n\": -1}";
      for (String name : names) {
        assertThat(catchApi(() -> b.startExecution(r -> r.stateMachineArn(machine).name(name).input(input))))
            .as(name).isEqualTo("ExecutionAlreadyExists");
      }
      assertThat(arns).allSatisfy(arn ->
          assertThat(b.describeExecution(r -> r.executionArn(arn)).status()).isEqualTo(ExecutionStatus.RUNNING));
      // Listings read the projections, which may trail the coordinators by a moment (as on AWS).
      List<String> listed = waitFor(() -> {
        List<String> all = listAll(b, machine);
        return all.size() < EXECUTIONS ? null : all;
      }, "every execution to be listed");
      assertThat(listed).containsExactlyInAnyOrderElementsOf(arns);

      for (String arn : arns) {
        String token = waitFor(() -> token(b, arn), "the task of " + arn + " to be scheduled");
        b.sendTaskHeartbeat(r -> r.taskToken(token));
        b.sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\": true}"));
      }
      for (SfnClient sfn : List.of(a, b)) {
        for (String arn : arns) {
          waitFor(() -> sfn.describeExecution(r -> r.executionArn(arn)).status() == ExecutionStatus.SUCCEEDED
              ? true : null, arn + " to succeed");
        }
      }
      Set<String> heldByA = new HashSet<>();
      for (String arn : arns) {
        if (coordinatorA.find(arn).isPresent()) {
          heldByA.add(arn);
        }
      }
      assertThat(heldByA).as("executions held by instance A").isNotEmpty().hasSizeLessThan(EXECUTIONS);
      assertThat(b.describeExecution(r -> r.executionArn(arns.get(0))).output())
          .isEqualTo("{\"n\":0,\"approval\":{\"approved\":true}}");
    }
  }

  @Test
  void shouldStopAnExecutionHeldByTheOtherInstance() {
    try (SfnClient a = client(first.find(GatewayRole.class).endpoint());
        SfnClient b = client(second.find(GatewayRole.class).endpoint())) {
      String machine = a.createStateMachine(r -> r.name("waits").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}}""")).stateMachineArn();
      Coordinator coordinatorA = first.find(CoordinatorRole.class).coordinator();
      String name = waitFor(() -> {
        for (int i = 0; i < 100; i++) {
          String candidate = "far-" + i;
          if (coordinatorA.remoteOwner(machine.replace(":stateMachine:", ":execution:") + ":" + candidate).isPresent()) {
            return candidate;
          }
        }
        return null;
      }, "a name held by instance B");
      String arn = a.startExecution(r -> r.stateMachineArn(machine).name(name)).executionArn();
      waitFor(() -> catchApi(() -> a.describeExecution(r -> r.executionArn(arn))) == null ? true : null,
          "the execution to start");
      a.stopExecution(r -> r.executionArn(arn).error("Cancelled"));
      waitFor(() -> a.describeExecution(r -> r.executionArn(arn)).status() == ExecutionStatus.ABORTED ? true : null,
          "the execution to abort");
      assertThat(coordinatorA.find(arn)).isEmpty();
      assertThat(a.describeExecution(r -> r.executionArn(arn)).error()).isEqualTo("Cancelled");
    }
  }

  /** Every execution of a state machine, through pages of 7. */
  private static List<String> listAll(SfnClient sfn, String machine) {
    List<String> all = new ArrayList<>();
    String next = null;
    do {
      String page = next;
      ListExecutionsResponse response = sfn.listExecutions(r -> r.stateMachineArn(machine).maxResults(7).nextToken(page));
      response.executions().stream().map(ExecutionListItem::executionArn).forEach(all::add);
      next = response.nextToken();
    } while (next != null);
    return all;
  }

  /** The task token from the TaskScheduled event's parameters, or null before it is scheduled. */
  private static String token(SfnClient sfn, String arn) {
    for (HistoryEvent event : sfn.getExecutionHistory(r -> r.executionArn(arn)).events()) {
      if (event.type() == HistoryEventType.TASK_SCHEDULED) {
        JsonNode parameters = Json.parse(event.taskScheduledEventDetails().parameters());
        return parameters.path("MessageBody").path("token").asText();
      }
    }
    return null;
  }

  /** The AWS error code a call failed with, or null when it succeeded. */
  private static String catchApi(Runnable call) {
    try {
      call.run();
      return null;
    } catch (software.amazon.awssdk.services.sfn.model.SfnException e) {
      return e.awsErrorDetails().errorCode();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
