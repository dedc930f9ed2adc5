package io.stepstream.server;

import static io.stepstream.server.ExecutionsSfnClientTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import software.amazon.awssdk.services.sfn.model.ActivityDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** An activity worker written with the AWS SDK for Java v2, unchanged, against dev mode. */
class ActivityWorkerSdkTest {

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = SfnClient.builder()
        .endpointOverride(URI.create(dev.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        // GetActivityTask holds the request for up to 60 s, as on AWS.
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(70)).build())
        .build();
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
  void shouldCreateDescribeListAndDeleteActivities() {
    String arn = sfn.createActivity(b -> b.name("to-delete")).activityArn();

    assertThat(arn).isEqualTo("arn:aws:states:us-east-1:123456789012:activity:to-delete");
    assertThat(sfn.createActivity(b -> b.name("to-delete")).activityArn()).isEqualTo(arn);
    assertThat(sfn.describeActivity(b -> b.activityArn(arn)).name()).isEqualTo("to-delete");
    assertThat(sfn.listActivities(b -> {}).activities()).anySatisfy(a -> assertThat(a.activityArn()).isEqualTo(arn));
    sfn.deleteActivity(b -> b.activityArn(arn));
    assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn(arn)))
        .isInstanceOf(ActivityDoesNotExistException.class)
        .hasMessageContaining("Activity Does Not Exist: '" + arn + "'");
  }

  @Test
  void shouldRunAnActivityWorkerWrittenWithTheAwsSdk() throws Exception {
    String activity = sfn.createActivity(b -> b.name("review")).activityArn();
    String machine = sfn.createStateMachine(b -> b.name("reviewed").roleArn(ROLE).type(StateMachineType.STANDARD)
        .definition("""
            {"StartAt": "Review", "States": {
              "Review": {"Type": "Task", "Resource": "%s", "HeartbeatSeconds": 30, "ResultPath": "$.review",
                "Next": "Again"},
              "Again": {"Type": "Task", "Resource": "%s", "ResultPath": "$.second",
                "Catch": [{"ErrorEquals": ["Review.Rejected"], "ResultPath": "$.rejection", "Next": "Done"}], "End": true},
              "Done": {"Type": "Succeed"}}}""".formatted(activity, activity))).stateMachineArn();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      // The worker polls first: the long poll is answered when the task arrives.
      Future<GetActivityTaskResponse> first = pool.submit(() ->
          sfn.getActivityTask(b -> b.activityArn(activity).workerName("reviewer-1")));
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"doc\": \"d-1\"}")).executionArn();

      GetActivityTaskResponse task = first.get();
      assertThat(Json.parse(task.input())).isEqualTo(Json.parse("{\"doc\": \"d-1\"}"));
      sfn.sendTaskHeartbeat(b -> b.taskToken(task.taskToken()));
      sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"ok\": true}"));

      GetActivityTaskResponse second = sfn.getActivityTask(b -> b.activityArn(activity).workerName("reviewer-2"));
      sfn.sendTaskFailure(b -> b.taskToken(second.taskToken()).error("Review.Rejected").cause("typos"));

      DescribeExecutionResponse done = ExecutionsSfnClientTest.waitFor(() -> {
        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
        return d.status() == ExecutionStatus.SUCCEEDED ? d : null;
      }, "the reviewed execution to succeed");
      JsonNode output = Json.parse(done.output());
      assertThat(output.get("review")).isEqualTo(Json.parse("{\"ok\": true}"));
      assertThat(output.at("/rejection/Error").asText()).isEqualTo("Review.Rejected");
      assertThat(output.at("/rejection/Cause").asText()).isEqualTo("typos");
      List<HistoryEvent> history = ExecutionsSfnClientTest.waitFor(() -> {
        List<HistoryEvent> events = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
        return events.getLast().type() == HistoryEventType.EXECUTION_SUCCEEDED ? events : null;
      }, "the history to end with ExecutionSucceeded");
      assertThat(history).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
          HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.ACTIVITY_SCHEDULED, HistoryEventType.ACTIVITY_STARTED,
          HistoryEventType.ACTIVITY_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
          HistoryEventType.TASK_STATE_ENTERED, HistoryEventType.ACTIVITY_SCHEDULED, HistoryEventType.ACTIVITY_STARTED,
          HistoryEventType.ACTIVITY_FAILED, HistoryEventType.TASK_STATE_EXITED,
          HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED,
          HistoryEventType.EXECUTION_SUCCEEDED);
      var scheduled = history.get(2).activityScheduledEventDetails();
      assertThat(scheduled.resource()).isEqualTo(activity);
      assertThat(Json.parse(scheduled.input())).isEqualTo(Json.parse("{\"doc\": \"d-1\"}"));
      assertThat(scheduled.inputDetails().truncated()).isFalse();
      assertThat(scheduled.heartbeatInSeconds()).isEqualTo(30L);
      assertThat(scheduled.timeoutInSeconds()).isNull();
      assertThat(history.get(3).activityStartedEventDetails().workerName()).isEqualTo("reviewer-1");
      assertThat(history.get(4).activitySucceededEventDetails().output()).isEqualTo("{\"ok\": true}");
      assertThat(history.get(9).activityFailedEventDetails().error()).isEqualTo("Review.Rejected");
      assertThat(history.get(9).activityFailedEventDetails().cause()).isEqualTo("typos");
    } finally {
      pool.shutdownNow();
    }
  }
}
