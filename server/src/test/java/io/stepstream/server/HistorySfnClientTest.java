package io.stepstream.server;

import static io.stepstream.server.ExecutionsSfnClientTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.HistoryEventBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;

/** History reads end to end: the AWS SDK against {@code dev} mode, answered by the history projector. */
class HistorySfnClientTest {

  /** AWS requires a destination when the level is not OFF. */
  private static final String LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:express-history:*";

  private static final String PASS_THEN_SUCCEED = """
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.a", "Next": "Done"},
        "Done": {"Type": "Succeed"}}}""";
  private static final String FAIL_WHEN_ASKED = """
      {"StartAt": "C", "States": {"C": {"Type": "Choice",
        "Choices": [{"Variable": "$.fail", "BooleanEquals": true, "Next": "F"}], "Default": "S"},
        "S": {"Type": "Succeed"}, "F": {"Type": "Fail", "Error": "Asked", "Cause": "asked to fail"}}}""";

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

  static String create(SfnClient sfn, String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)
        .type(StateMachineType.STANDARD)).stateMachineArn();
  }

  static DescribeExecutionResponse awaitDone(SfnClient sfn, String executionArn) {
    return ExecutionsSfnClientTest.waitFor(() -> {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      return d.status() == ExecutionStatus.RUNNING ? null : d;
    }, "execution " + executionArn + " to finish");
  }

  @Test
  void shouldReturnTheEventsOfARunAsAwsDoes() {
    String machine = create(sfn, "history-pass", PASS_THEN_SUCCEED);
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).name("run").input("{\"in\":true}"))
        .executionArn();
    awaitDone(sfn, execution);

    List<HistoryEvent> events = sfn.getExecutionHistory(b -> b.executionArn(execution)).events();

    assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
        HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED,
        HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(events.subList(2, 6)).extracting(HistoryEvent::previousEventId).containsExactly(2L, 3L, 4L, 5L);
    assertThat(events.get(0).executionStartedEventDetails().input()).isEqualTo("{\"in\":true}");
    assertThat(events.get(0).executionStartedEventDetails().inputDetails().truncated()).isFalse();
    assertThat(events.get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);
    assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("A");
    assertThat(events.get(2).stateExitedEventDetails().output()).isEqualTo("{\"in\":true,\"a\":{\"x\":1}}");
    assertThat(events.get(5).executionSucceededEventDetails().output()).isEqualTo("{\"in\":true,\"a\":{\"x\":1}}");
    assertThat(events.get(0).timestamp()).isNotNull();
    assertThat(events.get(5).timestamp()).isAfterOrEqualTo(events.get(0).timestamp());
  }

  @Test
  void shouldPageTheHistoryForwardAndBackward() {
    StringBuilder states = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      states.append("\"P").append(i).append("\": {\"Type\": \"Pass\", ")
          .append(i < 9 ? "\"Next\": \"P" + (i + 1) + "\"" : "\"End\": true").append("}").append(i < 9 ? "," : "");
    }
    String machine = create(sfn, "history-pages", "{\"StartAt\": \"P0\", \"States\": {" + states + "}}");
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    awaitDone(sfn, execution);

    List<Long> forward = pageIds(execution, false);
    List<Long> backward = pageIds(execution, true);

    assertThat(forward).hasSize(22).isSorted();
    assertThat(forward.get(0)).isEqualTo(1L);
    assertThat(backward).isEqualTo(forward.reversed());
    GetExecutionHistoryResponse withoutData = sfn.getExecutionHistory(b -> b.executionArn(execution)
        .includeExecutionData(false).maxResults(2));
    assertThat(withoutData.events().get(0).executionStartedEventDetails().input()).isNull();
    assertThat(withoutData.events().get(1).stateEnteredEventDetails().name()).isEqualTo("P0");
  }

  private static List<Long> pageIds(String execution, boolean reverse) {
    List<Long> ids = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String next = token;
      GetExecutionHistoryResponse page = sfn.getExecutionHistory(b -> b.executionArn(execution).maxResults(5)
          .reverseOrder(reverse).nextToken(next));
      assertThat(page.events()).hasSizeLessThanOrEqualTo(5);
      page.events().forEach(event -> ids.add(event.id()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(5);
    return ids;
  }

  @Test
  void shouldRefuseUnknownExecutionsAndForeignTokens() {
    String machine = create(sfn, "history-errors", PASS_THEN_SUCCEED);
    String missing = machine.replace(":stateMachine:", ":execution:") + ":nope";
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    awaitDone(sfn, execution);

    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(missing)))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(execution).nextToken("garbage")))
        .isInstanceOf(InvalidTokenException.class);
    String token = sfn.getExecutionHistory(b -> b.executionArn(execution).maxResults(1)).nextToken();
    assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(execution).reverseOrder(true)
        .nextToken(token))).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void shouldListExecutionsNewestFirstWithStatusFilterAndPaging() {
    String machine = create(sfn, "history-list", FAIL_WHEN_ASKED);
    List<DescribeExecutionResponse> done = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String input = "{\"fail\": " + (i % 3 == 0) + "}";
      String name = "e" + "abcdefg".charAt(6 - i);
      String execution = sfn.startExecution(b -> b.stateMachineArn(machine).name(name)
          .input(input)).executionArn();
      done.add(awaitDone(sfn, execution));
    }
    List<String> newestFirst = done.stream()
        .sorted(Comparator.comparing(DescribeExecutionResponse::startDate).reversed()
            .thenComparing(DescribeExecutionResponse::executionArn))
        .map(DescribeExecutionResponse::executionArn).toList();
    List<String> failedNewestFirst = done.stream().filter(d -> d.status() == ExecutionStatus.FAILED)
        .sorted(Comparator.comparing(DescribeExecutionResponse::startDate).reversed()
            .thenComparing(DescribeExecutionResponse::executionArn))
        .map(DescribeExecutionResponse::executionArn).toList();

    // ListExecutions is eventually consistent (as on AWS): the projection may trail DescribeExecution.
    ExecutionsSfnClientTest.waitFor(() -> sfn.listExecutions(b -> b.stateMachineArn(machine)).executions().size() == 7
        && sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING)).executions()
        .isEmpty() ? true : null, "the projection to list every execution");
    List<String> listed = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListExecutionsResponse page = sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(3).nextToken(next));
      page.executions().forEach(item -> listed.add(item.executionArn()));
      token = page.nextToken();
    } while (token != null);
    List<ExecutionListItem> failed = sfn.listExecutions(b -> b.stateMachineArn(machine)
        .statusFilter(ExecutionStatus.FAILED)).executions();

    assertThat(listed).isEqualTo(newestFirst);
    assertThat(failed).extracting(ExecutionListItem::executionArn).isEqualTo(failedNewestFirst);
    assertThat(failed).allSatisfy(item -> {
      assertThat(item.status()).isEqualTo(ExecutionStatus.FAILED);
      assertThat(item.stopDate()).isNotNull();
      assertThat(item.stateMachineArn()).isEqualTo(machine);
    });
    assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
        .executions()).isEmpty();
  }

  @Test
  void shouldDescribeAFailedExecutionFromTheProjection() {
    String machine = create(sfn, "history-describe", FAIL_WHEN_ASKED);
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).name("f").input("{\"fail\":true}"))
        .executionArn();
    DescribeExecutionResponse described = awaitDone(sfn, execution);

    assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(described.error()).isEqualTo("Asked");
    assertThat(described.cause()).isEqualTo("asked to fail");
    assertThat(described.name()).isEqualTo("f");
    assertThat(described.stateMachineArn()).isEqualTo(machine);
    assertThat(described.input()).isEqualTo("{\"fail\":true}");
    assertThat(described.stopDate()).isAfterOrEqualTo(described.startDate());
    assertThat(described.redriveCount()).isZero();
    assertThat(described.redriveStatusAsString()).isEqualTo("REDRIVABLE");
  }

  @Test
  void shouldDescribeTheStateMachineRevisionAnExecutionRan() {
    String machine = create(sfn, "history-revision", PASS_THEN_SUCCEED);
    String execution = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    awaitDone(sfn, execution);
    sfn.updateStateMachine(b -> b.stateMachineArn(machine).definition(FAIL_WHEN_ASKED));

    var described = sfn.describeStateMachineForExecution(b -> b.executionArn(execution));

    assertThat(described.stateMachineArn()).isEqualTo(machine);
    assertThat(described.name()).isEqualTo("history-revision");
    assertThat(described.definition()).isEqualTo(PASS_THEN_SUCCEED);
    assertThat(described.roleArn()).isEqualTo(ROLE);
    assertThat(described.updateDate()).isNotNull();
  }

  @Test
  void shouldKeepAShortHistoryOfExpressExecutionsLoggedAtAll() {
    String logged = sfn.createStateMachine(b -> b.name("express-logged").definition(PASS_THEN_SUCCEED).roleArn(ROLE)
        .type(StateMachineType.EXPRESS).loggingConfiguration(l -> l.level(LogLevel.ALL).includeExecutionData(true)
            .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(LOG_GROUP)))))
        .stateMachineArn();
    String silent = sfn.createStateMachine(b -> b.name("express-silent").definition(PASS_THEN_SUCCEED).roleArn(ROLE)
        .type(StateMachineType.EXPRESS)).stateMachineArn();

    // StartExecution answers once the start is in the projection (StartSyncExecution answers from the
    // execution's completion, which the projection may trail by a moment).
    String loggedRun = sfn.startExecution(b -> b.stateMachineArn(logged).input("{}")).executionArn();
    String silentRun = sfn.startExecution(b -> b.stateMachineArn(silent).input("{}")).executionArn();

    DescribeExecutionResponse described = awaitDone(sfn, loggedRun);
    assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(described.stateMachineArn()).isEqualTo(logged);
    assertThat(sfn.getExecutionHistory(b -> b.executionArn(loggedRun)).events()).extracting(HistoryEvent::type)
        .containsExactly(HistoryEventType.EXECUTION_STARTED, HistoryEventType.PASS_STATE_ENTERED,
            HistoryEventType.PASS_STATE_EXITED, HistoryEventType.SUCCEED_STATE_ENTERED,
            HistoryEventType.SUCCEED_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
    // Logging OFF keeps no history, but DescribeExecution still knows the execution for a day.
    DescribeExecutionResponse silentDescribed = awaitDone(sfn, silentRun);
    assertThat(silentDescribed.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(silentDescribed.output()).isEqualTo("{\"a\":{\"x\":1}}");
    assertThat(sfn.getExecutionHistory(b -> b.executionArn(silentRun)).events()).isEmpty();
  }

  /**
   * StartSyncExecution of an execution that needs only the interpreter answers from the gateway,
   * and what the logging level keeps reaches the EXPRESS events topic afterwards; one that waits goes
   * through the coordinator and answers the same way.
   */
  @Test
  void shouldAnswerSynchronousExpressExecutionsAndLogThemAsAsked() throws Exception {
    String logged = sfn.createStateMachine(b -> b.name("sync-logged").definition(PASS_THEN_SUCCEED).roleArn(ROLE)
        .type(StateMachineType.EXPRESS).loggingConfiguration(l -> l.level(LogLevel.ALL).includeExecutionData(true)
            .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(LOG_GROUP)))))
        .stateMachineArn();
    String waits = sfn.createStateMachine(b -> b.name("sync-waits").roleArn(ROLE).type(StateMachineType.EXPRESS)
        .definition("""
            {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
              "Done": {"Type": "Pass", "Result": "rested", "End": true}}}""")).stateMachineArn();
    try (KafkaConsumer<String, byte[]> events = expressEventsAtEnd()) {
      var answered = sfn.startSyncExecution(b -> b.stateMachineArn(logged).input("{}"));
      assertThat(answered.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
      assertThat(answered.output()).isEqualTo("{\"a\":{\"x\":1}}");
      List<io.stepstream.proto.HistoryEventType> types = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (types.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : events.poll(Duration.ofMillis(200))) {
          if (record.key().equals(answered.executionArn())) {
            HistoryEventBatch.parseFrom(record.value()).getEventsList().forEach(event -> types.add(event.getType()));
          }
        }
      }
      assertThat(types).containsExactly(io.stepstream.proto.HistoryEventType.ExecutionStarted,
          io.stepstream.proto.HistoryEventType.PassStateEntered, io.stepstream.proto.HistoryEventType.PassStateExited,
          io.stepstream.proto.HistoryEventType.SucceedStateEntered,
          io.stepstream.proto.HistoryEventType.SucceedStateExited,
          io.stepstream.proto.HistoryEventType.ExecutionSucceeded);
    }
    var rested = sfn.startSyncExecution(b -> b.stateMachineArn(waits).input("{}"));
    assertThat(rested.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
    assertThat(rested.output()).isEqualTo("\"rested\"");
    assertThat(Duration.between(rested.startDate(), rested.stopDate())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  private static KafkaConsumer<String, byte[]> expressEventsAtEnd() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, dev.bootstrapServers());
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer());
    String topic = Topics.defaults().expressEvents();
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }
}
