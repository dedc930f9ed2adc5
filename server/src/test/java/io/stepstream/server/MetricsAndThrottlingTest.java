package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.throttle.Quota;
import io.stepstream.gateway.throttle.ThrottleSettings;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * {@code GET /metrics} of a dev server, and the start quotas, through the AWS SDK: the execution
 * counters move as executions succeed, fail, time out, are stopped and are throttled, and a throttled
 * start gets AWS's ThrottlingException and starts nothing.
 */
class MetricsAndThrottlingTest {

  static final String ROLE = SfnTestClients.ROLE;

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;
  static SfnClient noRetries;

  @BeforeAll
  static void start() {
    // EXPRESS starts: one, then none for an hour. A quota is shared by its gateways (1/n of the burst, the
    // rate spread over n seconds), so 1 a second over 3600 gateways is a bucket of 1 that refills hourly:
    // whatever the machine's speed, the second start finds it empty. STANDARD and sync starts: 1000 at once.
    Quota plenty = new Quota(3600 * 1000, 3600 * 1000);
    // State transitions: a bucket of 3600/3600 = 1 that gains 1 a second, so an execution entering
    // several states waits for the quota (and still ends).
    ThrottleSettings oneExpressStart = new ThrottleSettings(true, plenty, new Quota(1, 1), plenty,
        new Quota(3600, 3600), 3600, ThrottleSettings.DEFAULT_MAX_PENDING_WRITES);
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 1, Arns.defaults(), TaskHandlers.none(), null,
        WorkerConfig.DEFAULT_FUNCTION_NOT_FOUND_AFTER, oneExpressStart);
    sfn = SfnTestClients.client(dev.endpoint());
    noRetries = SfnTestClients.clientWithoutRetries(dev.endpoint());
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {sfn, noRetries, dev}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing
        }
      }
    }
  }

  @Test
  void shouldCountExecutionsBySucceededFailedTimedOutAndAbortedPerStateMachine() throws Exception {
    String ok = create("ok", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},"
        + "\"B\":{\"Type\":\"Succeed\"}}}", StateMachineType.STANDARD);
    String fails = create("fails", "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Boom\"}}}",
        StateMachineType.STANDARD);
    String slow = create("slow", "{\"TimeoutSeconds\":1,\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\","
        + "\"Seconds\":600,\"End\":true}}}", StateMachineType.STANDARD);
    String stopped = create("stopped", "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":600,"
        + "\"End\":true}}}", StateMachineType.STANDARD);

    String okRun = sfn.startExecution(b -> b.stateMachineArn(ok).name("one")).executionArn();
    String failedRun = sfn.startExecution(b -> b.stateMachineArn(fails).name("one")).executionArn();
    String slowRun = sfn.startExecution(b -> b.stateMachineArn(slow).name("one")).executionArn();
    String stoppedRun = sfn.startExecution(b -> b.stateMachineArn(stopped).name("one")).executionArn();
    SfnTestClients.awaitStatus(sfn, okRun, ExecutionStatus.SUCCEEDED);
    SfnTestClients.awaitStatus(sfn, failedRun, ExecutionStatus.FAILED);
    SfnTestClients.awaitStatus(sfn, slowRun, ExecutionStatus.TIMED_OUT);
    sfn.stopExecution(b -> b.executionArn(stoppedRun));

    String metrics = scrape();
    assertThat(value(metrics, "stepstream_executions_started_total", ok)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_executions_succeeded_total", ok)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_executions_failed_total", ok)).isEqualTo(0.0);
    assertThat(value(metrics, "stepstream_execution_time_seconds_count", ok)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_execution_time_seconds_bucket", ok, Map.of("le", "+Inf"))).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_state_transitions_total", ok)).isEqualTo(2.0);

    assertThat(value(metrics, "stepstream_executions_started_total", fails)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_executions_failed_total", fails)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_executions_succeeded_total", fails)).isEqualTo(0.0);

    assertThat(value(metrics, "stepstream_executions_timed_out_total", slow)).isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_execution_time_seconds_count", slow)).isEqualTo(1.0);
    // It ran for its TimeoutSeconds (1 s) at least: not in the buckets below one second.
    assertThat(value(metrics, "stepstream_execution_time_seconds_bucket", slow, Map.of("le", "0.5"))).isEqualTo(0.0);

    assertThat(value(metrics, "stepstream_executions_aborted_total", stopped)).isEqualTo(1.0);
    // Timers fired: the timeout of "slow".
    assertThat(value(metrics, "stepstream_timer_delay_seconds_count", null)).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void shouldAnswerThrottlingExceptionBeyondTheStartQuotaAndCountItAsExecutionThrottled() throws Exception {
    String limited = create("limited", "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}",
        StateMachineType.EXPRESS);
    noRetries.startExecution(b -> b.stateMachineArn(limited).name("first"));

    SfnException throttled = catchThrowableOfType(SfnException.class,
        () -> noRetries.startExecution(b -> b.stateMachineArn(limited).name("second")));

    assertThat(throttled).isNotNull();
    assertThat(throttled.statusCode()).isEqualTo(400);
    assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
    assertThat(throttled.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
    assertThat(throttled.isThrottlingException()).isTrue();
    String metrics = scrape();
    assertThat(value(metrics, "stepstream_executions_throttled_total", limited, Map.of("reason", "rate")))
        .isEqualTo(1.0);
    assertThat(value(metrics, "stepstream_api_throttled_total", null, Map.of("action", "StartExecution")))
        .isEqualTo(1.0);
    // The throttled start wrote nothing: the coordinator saw one start of the state machine.
    SfnTestClients.waitFor(() -> value(scrapeQuietly(), "stepstream_executions_succeeded_total", limited) == 1.0
        ? true : null, "the first EXPRESS execution to end");
    assertThat(value(scrape(), "stepstream_executions_started_total", limited)).isEqualTo(1.0);
    // The alert rules of deploy/ use names this server serves (a state machine seen and a start
    // throttled: every metric they use exists now).
    String served = scrape();
    // Consumer lag per role, the worker's included (its queues' consumers).
    for (String role : List.of("coordinator-standard", "projector", "map-runs", "worker")) {
      assertThat(served).as("consumer lag of " + role)
          .containsPattern("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{.*role=\"" + role + "\"");
    }
    for (String name : DeployFilesTest.METRICS) {
      assertThat(served).as("deploy/prometheus/alerts.yml uses " + name).containsPattern("(?m)^" + name + "[{_ ]");
    }
  }

  @Test
  void shouldDelayStateTransitionsBeyondTheQuotaAndCountThemAsExecutionThrottled() throws Exception {
    // Six states entered in one step against a bucket of one: five of them wait for a token each.
    StringBuilder states = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      states.append(i == 1 ? "" : ",").append("\"P").append(i).append("\":{\"Type\":\"Pass\",")
          .append(i == 6 ? "\"End\":true}" : "\"Next\":\"P" + (i + 1) + "\"}");
    }
    String chain = create("chain", "{\"StartAt\":\"P1\",\"States\":{" + states + "}}", StateMachineType.STANDARD);

    String run = sfn.startExecution(b -> b.stateMachineArn(chain).name("one")).executionArn();
    SfnTestClients.awaitStatus(sfn, run, ExecutionStatus.SUCCEEDED);

    String metrics = scrape();
    assertThat(value(metrics, "stepstream_state_transitions_total", chain)).isEqualTo(6.0);
    assertThat(value(metrics, "stepstream_executions_throttled_total", chain, Map.of("reason", "state_transitions")))
        .isGreaterThanOrEqualTo(5.0);
  }

  @Test
  void shouldCountTheItemsOfADistributedMapAsTheyMove() throws Exception {
    String mapper = create("mapper", """
        {"StartAt": "Each", "States": {"Each": {"Type": "Map",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
            "StartAt": "Check", "States": {"Check": {"Type": "Choice",
              "Choices": [{"Variable": "$.bad", "BooleanEquals": true, "Next": "Bad"}], "Default": "Good"},
              "Good": {"Type": "Succeed"}, "Bad": {"Type": "Fail", "Error": "Bad"}}},
          "ToleratedFailureCount": 1, "End": true}}}""", StateMachineType.STANDARD);

    String run = sfn.startExecution(b -> b.stateMachineArn(mapper).name("one")
        .input("[{\"bad\": false}, {\"bad\": false}, {\"bad\": true}]")).executionArn();
    SfnTestClients.awaitStatus(sfn, run, ExecutionStatus.SUCCEEDED);

    String metrics = scrape();
    assertThat(value(metrics, "stepstream_map_run_items_total", mapper, Map.of("status", "read"))).isEqualTo(3.0);
    assertThat(value(metrics, "stepstream_map_run_items_total", mapper, Map.of("status", "succeeded"))).isEqualTo(2.0);
    assertThat(value(metrics, "stepstream_map_run_items_total", mapper, Map.of("status", "failed"))).isEqualTo(1.0);
  }

  private static String create(String name, String definition, StateMachineType type) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE).type(type))
        .stateMachineArn();
  }

  private static String scrape() throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(dev.endpoint() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    return response.body();
  }

  private static String scrapeQuietly() {
    try {
      return scrape();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static double value(String metrics, String name, String machineArn) {
    return value(metrics, name, machineArn, Map.of());
  }

  /**
   * The value of the sample of {@code name} with the given labels (and the state machine's, unless
   * null), 0 when there is none; the sum when several match (other labels differ).
   */
  private static double value(String metrics, String name, String machineArn, Map<String, String> labels) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      if (machineArn != null && !line.contains("state_machine_arn=\"" + machineArn + "\"")) {
        continue;
      }
      if (labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
