package io.stepstream.server;

import static io.stepstream.server.ExecutionsSfnClientTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.Topics;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetActivityTaskResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Growing the partitions while executions run and starts keep coming (`stepstream partitions`):
 * executions waiting for a callback get it and can be stopped, timers fire, a name taken before the
 * growth stays taken, starts during and after the growth all run, each execution exactly once, and
 * no read of a started execution answers that it does not exist.
 */
class PartitionGrowthTest {

  @TempDir
  Path dataDir;
  private DevMode dev;
  private SfnClient sfn;

  @AfterEach
  void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void shouldGrowWhileExecutionsRunAndStartsKeepComing() throws Exception {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults());
    sfn = SfnClient.builder().endpointOverride(URI.create(dev.endpoint())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(70)).build()).build();
    String activity = sfn.createActivity(b -> b.name("approve")).activityArn();
    String callback = machine("callback", """
        {"StartAt": "Approve", "States": {"Approve": {"Type": "Task", "Resource": "%s", "End": true}}}"""
        .formatted(activity));
    String timer = machine("timer", """
        {"StartAt": "Sleep", "States": {
          "Sleep": {"Type": "Wait", "Seconds": 6, "Next": "Done"},
          "Done": {"Type": "Pass", "Result": "slept", "End": true}}}""");
    String quick = machine("quick", """
        {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": true}}}""");

    List<String> callbacks = new ArrayList<>();
    List<String> timers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      int n = i;
      callbacks.add(sfn.startExecution(b -> b.stateMachineArn(callback).name("cb-" + n).input("{\"n\":" + n + "}"))
          .executionArn());
      timers.add(sfn.startExecution(b -> b.stateMachineArn(timer).name("t-" + n).input("{}")).executionArn());
    }

    // Starts keep coming while the partitions grow; each is read back at once.
    AtomicBoolean loading = new AtomicBoolean(true);
    List<String> started = new CopyOnWriteArrayList<>();
    Map<String, String> falseNotFound = new ConcurrentHashMap<>();
    List<Throwable> loadErrors = new CopyOnWriteArrayList<>();
    Thread load = Thread.ofPlatform().uncaughtExceptionHandler((thread, error) -> loadErrors.add(error)).start(() -> {
      for (int i = 0; loading.get() && loadErrors.isEmpty(); i++) {
        int n = i;
        String arn = sfn.startExecution(b -> b.stateMachineArn(quick).name("q-" + n).input("{\"q\":" + n + "}"))
            .executionArn();
        started.add(arn);
        try {
          sfn.describeExecution(b -> b.executionArn(arn));
        } catch (ExecutionDoesNotExistException e) {
          falseNotFound.put(arn, e.getMessage());
        }
      }
    });

    List<String> progress = new CopyOnWriteArrayList<>();
    PartitionsCommand.grow(dev.bootstrapServers(), Topics.defaults(), 4, Duration.ofMinutes(3), progress::add);
    Thread.sleep(1_000);
    loading.set(false);
    load.join();
    assertThat(loadErrors).isEmpty();

    assertThat(progress).anySatisfy(line -> assertThat(line).contains("sfn.standard.commands.g1: created, 4 partitions"))
        .anySatisfy(line -> assertThat(line).contains("handed over (2 -> 4 partitions)"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", dev.bootstrapServers()))) {
      var described = admin.describeTopics(List.of("sfn.standard.commands.g1", "sfn.express.commands.g1", "sfn.tasks"))
          .allTopicNames().get(30, TimeUnit.SECONDS);
      described.values().forEach(topic -> assertThat(topic.partitions()).as(topic.name()).hasSize(4));
    }

    // The callbacks reach the executions that waited through the growth; stops too.
    for (int i = 0; i < 12; i++) {
      GetActivityTaskResponse task = sfn.getActivityTask(b -> b.activityArn(activity).workerName("w"));
      assertThat(task.taskToken()).isNotNull();
      int n = io.stepstream.asl.json.Json.parse(task.input()).path("n").asInt();
      if (n < 10) {
        sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"approved\":" + n + "}"));
      } else {
        sfn.stopExecution(b -> b.executionArn(callbacks.get(n)).error("Cancelled"));
      }
    }
    // A name taken before the growth stays taken after it.
    assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(callback).name("cb-0").input("{\"other\":1}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);
    // New executions start after the growth.
    for (int i = 0; i < 10; i++) {
      int n = i;
      started.add(sfn.startExecution(b -> b.stateMachineArn(quick).name("after-" + n).input("{}")).executionArn());
    }

    for (int i = 0; i < 12; i++) {
      String arn = callbacks.get(i);
      var done = SfnTestClients.waitFor(() -> {
        var d = sfn.describeExecution(b -> b.executionArn(arn));
        return d.status() == ExecutionStatus.RUNNING ? null : d;
      }, arn + " to end");
      if (i < 10) {
        assertThat(done.status()).as(arn).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.output()).isEqualTo("{\"approved\":" + i + "}");
      } else {
        assertThat(done.status()).as(arn).isEqualTo(ExecutionStatus.ABORTED);
      }
    }
    for (String arn : timers) {
      assertThat(SfnTestClients.awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED).output()).isEqualTo("\"slept\"");
    }
    for (String arn : started) {
      SfnTestClients.awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);
    }
    assertThat(started).hasSizeGreaterThan(10);
    assertThat(falseNotFound).isEmpty();
    List<String> all = new ArrayList<>(callbacks);
    all.addAll(timers);
    all.addAll(started);
    for (String arn : all) {
      var events = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events();
      assertThat(events.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_STARTED)).as(arn).hasSize(1);
      assertThat(events.stream().map(e -> e.id())).as(arn).doesNotHaveDuplicates();
    }
  }

  private String machine(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).roleArn(ROLE).type(StateMachineType.STANDARD)
        .definition(definition)).stateMachineArn();
  }
}
