package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.server.role.GatewayRole;
import io.stepstream.server.role.Roles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * GetActivityTask on any gateway receives the activity's tasks. Two instances with every role and a
 * third running the gateway alone share one Kafka cluster; the gateways split the activity-tasks
 * partitions between them, so every activity's tasks are held by one of the three. Each activity is
 * polled on each gateway in turn, so every activity is polled both on the gateway holding its tasks
 * and on the others. No poll is retried: each one must bring a task.
 */
class ActivityTasksOnAnyGatewayTest {

  private static final int ACTIVITIES = 4;

  @TempDir
  static Path dataDir;

  private static TestCluster cluster;
  private static List<Roles> instances;

  @BeforeAll
  static void startThreeInstances() throws Exception {
    cluster = new TestCluster(dataDir, 4);
    instances = List.of(cluster.start("a", TestCluster.ALL_ROLES), cluster.start("b", TestCluster.ALL_ROLES),
        cluster.start("c", List.of("gateway")));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldHandEveryTaskToExactlyOnePollerWhicheverGatewayIsPolled() throws Exception {
    List<SfnClient> gateways = instances.stream().map(i -> longPollClient(i.find(GatewayRole.class).endpoint()))
        .toList();
    ExecutorService pollers = Executors.newFixedThreadPool(ACTIVITIES * gateways.size());
    try {
      SfnClient a = gateways.getFirst();
      List<String> activities = new ArrayList<>();
      List<String> executions = new ArrayList<>();
      for (int i = 0; i < ACTIVITIES; i++) {
        int n = i;
        String activity = a.createActivity(r -> r.name("work-" + n)).activityArn();
        activities.add(activity);
        String machine = a.createStateMachine(r -> r.name("worked-" + n).roleArn(ROLE).type(StateMachineType.STANDARD)
            .definition("""
                {"StartAt": "Work", "States": {
                  "Work": {"Type": "Task", "Resource": "%s", "ResultPath": "$.result", "End": true}}}"""
                .formatted(activity))).stateMachineArn();
        for (int k = 0; k < gateways.size(); k++) {
          String input = "{\"activity\": %d, \"task\": %d}".formatted(n, k);
          executions.add(a.startExecution(r -> r.stateMachineArn(machine).input(input)).executionArn());
        }
      }

      // Every task is already queued (or on its way), so each poll answers with one at once; a poll sent
      // to a gateway that does not hold the activity's tasks used to wait out its 60 s for nothing.
      Map<String, JsonNode> inputByToken = new HashMap<>();
      List<JsonNode> inputs = new ArrayList<>();
      for (int k = 0; k < gateways.size(); k++) {
        for (int i = 0; i < ACTIVITIES; i++) {
          String activity = activities.get(i);
          int polled = (i + k) % gateways.size();
          String worker = "w-" + k;
          GetActivityTaskResponse task = gateways.get(polled).getActivityTask(r -> r.activityArn(activity).workerName(worker)
              .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(30))));
          assertThat(task.taskToken()).as("a task of activity %d polled on gateway %d", i, polled).isNotNull();
          JsonNode input = Json.parse(task.input());
          assertThat(input.get("activity").asInt()).isEqualTo(i);
          assertThat(inputByToken.put(task.taskToken(), input)).as("a token handed out twice").isNull();
          inputs.add(input);
        }
      }
      Set<JsonNode> expected = new HashSet<>();
      for (int i = 0; i < ACTIVITIES; i++) {
        for (int k = 0; k < gateways.size(); k++) {
          expected.add(Json.parse("{\"activity\": %d, \"task\": %d}".formatted(i, k)));
        }
      }
      assertThat(inputs).containsExactlyInAnyOrderElementsOf(expected);

      int j = 0;
      for (Map.Entry<String, JsonNode> entry : inputByToken.entrySet()) {
        SfnClient gateway = gateways.get(j++ % gateways.size());
        gateway.sendTaskSuccess(r -> r.taskToken(entry.getKey()).output(Json.write(entry.getValue())));
      }
      for (String execution : executions) {
        JsonNode output = Json.parse(awaitStatus(a, execution, ExecutionStatus.SUCCEEDED).output());
        assertThat(output.get("result")).isEqualTo(Json.object().put("activity", output.get("activity").asInt())
            .put("task", output.get("task").asInt()));
      }

      // Nothing is left to hand out, on any gateway: every poll is held for its whole wait (across the
      // forward to the holding gateway) and answers without a task, as AWS does.
      List<Future<Duration>> empty = new ArrayList<>();
      for (String activity : activities) {
        for (SfnClient gateway : gateways) {
          empty.add(pollers.submit(() -> {
            long start = System.nanoTime();
            GetActivityTaskResponse none = gateway.getActivityTask(r -> r.activityArn(activity));
            assertThat(none.taskToken()).isNull();
            assertThat(none.input()).isNull();
            return Duration.ofNanos(System.nanoTime() - start);
          }));
        }
      }
      for (Future<Duration> poll : empty) {
        assertThat(poll.get()).isGreaterThanOrEqualTo(Duration.ofSeconds(55));
      }
    } finally {
      pollers.shutdownNow();
      gateways.forEach(SfnClient::close);
    }
  }

  /** A client whose socket outlives GetActivityTask's 60 s long poll. */
  private static SfnClient longPollClient(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(75)).build())
        .build();
  }
}
