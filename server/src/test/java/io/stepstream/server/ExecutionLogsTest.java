package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.ExecutionLogDestinations;
import io.stepstream.kafka.Topics;
import io.stepstream.server.telemetry.Observability;
import io.stepstream.worker.TaskHandlers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidLoggingConfigurationException;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;

/**
 * Execution log records (loggingConfiguration) reach the destination the server maps their log
 * group to, in AWS's CloudWatch Logs record format, filtered by level: a file of JSON lines, a
 * mapped topic and the default topic.
 */
class ExecutionLogsTest {

  private static final String FILE_GROUP = "/aws/vendedlogs/states/orders";
  private static final String TOPIC_GROUP = "fatal-only";
  private static final String DEFAULT_GROUP = "express-errors";
  private static final String MAPPED_TOPIC = "custom-logs";
  private static final String PASSES = """
      {"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Result": {"hello": "world"}, "Next": "Done"},
        "Done": {"Type": "Succeed"}}}""";
  private static final String FAILS = """
      {"StartAt": "Try", "States": {"Try": {"Type": "Pass", "Next": "Boom"},
        "Boom": {"Type": "Fail", "Error": "Broken", "Cause": "it broke"}}}""";

  @TempDir
  static Path dataDir;
  static Path logFile;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    logFile = dataDir.resolve("logs/orders.jsonl");
    dev = DevMode.start(dataDir.resolve("data"), "127.0.0.1", 0, 2, Arns.defaults(), TaskHandlers.none(), null,
        Duration.ofSeconds(30), Observability.create(null,
            List.of(FILE_GROUP + "=file:" + logFile, TOPIC_GROUP + "=topic:" + MAPPED_TOPIC),
            Topics.defaults().executionLogs()));
    sfn = SfnTestClients.client(dev.endpoint());
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

  private static LoggingConfiguration logging(LogLevel level, boolean data, String group) {
    return LoggingConfiguration.builder().level(level).includeExecutionData(data)
        .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(
            "arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*"))).build();
  }

  @Test
  void shouldWriteEveryEventOfAStandardExecutionToTheFileAtLevelAll() {
    String machine = sfn.createStateMachine(b -> b.name("logged-all").type(StateMachineType.STANDARD).roleArn(ROLE)
        .loggingConfiguration(logging(LogLevel.ALL, true, FILE_GROUP)).definition(PASSES)).stateMachineArn();
    DescribeStateMachineResponse described = sfn.describeStateMachine(b -> b.stateMachineArn(machine));
    assertThat(described.loggingConfiguration().level()).isEqualTo(LogLevel.ALL);
    assertThat(described.loggingConfiguration().includeExecutionData()).isTrue();
    assertThat(described.loggingConfiguration().destinations().get(0).cloudWatchLogsLogGroup().logGroupArn())
        .isEqualTo("arn:aws:logs:us-east-1:123456789012:log-group:" + FILE_GROUP + ":*");

    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\": 7}")).executionArn();
    awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);

    List<JsonNode> records = waitFor(() -> {
      List<JsonNode> mine = fileRecords(arn);
      return mine.size() == 6 ? mine : null;
    }, "six records of " + arn + " in " + logFile);
    assertThat(records).extracting(r -> r.get("type").asText()).containsExactly("ExecutionStarted",
        "PassStateEntered", "PassStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded");
    JsonNode started = records.get(0);
    assertThat(started.get("id").asText()).isEqualTo("1");
    assertThat(started.get("previous_event_id").asText()).isEqualTo("0");
    assertThat(started.get("redrive_count").asText()).isEqualTo("0");
    assertThat(started.get("event_timestamp").asText()).matches("\\d{13}");
    assertThat(started.get("details").get("input").asText()).isEqualTo("{\"order\": 7}");
    assertThat(started.get("details").get("roleArn").asText()).isEqualTo(ROLE);
    assertThat(records.get(5).get("details").get("output").asText()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(records.get(1).get("details").get("name").asText()).isEqualTo("Greet");
    assertThat(records).extracting(r -> r.get("id").asText()).containsExactly("1", "2", "3", "4", "5", "6");
  }

  @Test
  void shouldWriteOnlyErrorEventsWithoutDataOfExpressExecutionsToTheDefaultTopic() {
    String machine = sfn.createStateMachine(b -> b.name("express-errors").type(StateMachineType.EXPRESS).roleArn(ROLE)
        .loggingConfiguration(logging(LogLevel.ERROR, false, DEFAULT_GROUP)).definition(FAILS)).stateMachineArn();
    String passing = sfn.createStateMachine(b -> b.name("express-fine").type(StateMachineType.EXPRESS).roleArn(ROLE)
        .loggingConfiguration(logging(LogLevel.ERROR, false, DEFAULT_GROUP)).definition(PASSES)).stateMachineArn();

    // Synchronous (run in the gateway) and asynchronous (through the coordinator), failing and not.
    String fine = sfn.startSyncExecution(b -> b.stateMachineArn(passing).input("{}")).executionArn();
    var sync = sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"secret\": 1}"));
    assertThat(sync.status()).isEqualTo(SyncExecutionStatus.FAILED);
    String async = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"secret\": 2}")).executionArn();

    List<ConsumerRecord<String, String>> records = waitFor(() -> {
      List<ConsumerRecord<String, String>> all = topicRecords(Topics.defaults().executionLogs());
      return all.stream().filter(r -> r.key().equals(async)).count() == 2
          && all.stream().filter(r -> r.key().equals(sync.executionArn())).count() == 2 ? all : null;
    }, "the error records of both failed executions");
    for (String failed : List.of(sync.executionArn(), async)) {
      List<JsonNode> mine = records.stream().filter(r -> r.key().equals(failed)).map(r -> Json.parse(r.value())).toList();
      assertThat(mine).extracting(r -> r.get("type").asText()).containsExactly("FailStateEntered", "ExecutionFailed");
      assertThat(mine.get(1).get("details").get("error").asText()).isEqualTo("Broken");
      assertThat(mine.get(1).get("details").get("cause").asText()).isEqualTo("it broke");
      assertThat(mine.get(0).get("details").has("input")).isFalse();
      assertThat(mine).allSatisfy(r -> assertThat(r.get("execution_arn").asText()).isEqualTo(failed));
    }
    assertThat(records).filteredOn(r -> r.key().equals(sync.executionArn())).allSatisfy(r ->
        assertThat(new String(r.headers().lastHeader(ExecutionLogDestinations.LOG_GROUP_HEADER).value(),
            StandardCharsets.UTF_8)).isEqualTo(DEFAULT_GROUP));
    assertThat(records).noneMatch(r -> r.key().equals(fine));
  }

  @Test
  void shouldWriteOnlyTheExecutionsFailureToAMappedTopicAtLevelFatal() {
    String machine = sfn.createStateMachine(b -> b.name("fatal-only").type(StateMachineType.STANDARD).roleArn(ROLE)
        .loggingConfiguration(logging(LogLevel.FATAL, true, TOPIC_GROUP)).definition(FAILS)).stateMachineArn();
    String off = sfn.createStateMachine(b -> b.name("logging-off").type(StateMachineType.STANDARD).roleArn(ROLE)
        .loggingConfiguration(l -> l.level(LogLevel.OFF)).definition(FAILS)).stateMachineArn();
    String silent = sfn.startExecution(b -> b.stateMachineArn(off).input("{}")).executionArn();
    awaitStatus(sfn, silent, ExecutionStatus.FAILED);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();
    awaitStatus(sfn, arn, ExecutionStatus.FAILED);

    List<ConsumerRecord<String, String>> records = waitFor(() -> {
      List<ConsumerRecord<String, String>> all = topicRecords(MAPPED_TOPIC);
      return all.stream().anyMatch(r -> r.key().equals(arn)) ? all : null;
    }, "the record of " + arn);
    assertThat(records).hasSize(1);
    JsonNode failed = Json.parse(records.get(0).value());
    assertThat(failed.get("type").asText()).isEqualTo("ExecutionFailed");
    assertThat(failed.get("execution_arn").asText()).isEqualTo(arn);
    assertThat(topicRecords(Topics.defaults().executionLogs())).noneMatch(r -> r.key().equals(silent));
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(off)).loggingConfiguration().level())
        .isEqualTo(LogLevel.OFF);
  }

  @Test
  void shouldRefuseInvalidLoggingConfigurationsAsAwsDoes() {
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("no-destination").roleArn(ROLE).definition(PASSES)
        .loggingConfiguration(l -> l.level(LogLevel.ALL))))
        .isInstanceOf(InvalidLoggingConfigurationException.class)
        .hasMessageContaining("Invalid Logging Configuration: Must specify exactly one Log Destination.");
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("bad-arn").roleArn(ROLE).definition(PASSES)
        .loggingConfiguration(l -> l.level(LogLevel.ERROR)
            .destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn("arn:aws:s3:::bucket"))))))
        .isInstanceOf(InvalidLoggingConfigurationException.class)
        .hasMessageContaining("Must set valid CloudWatch Log Group ARN");
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("bad-level").roleArn(ROLE).definition(PASSES)
        .loggingConfiguration(l -> l.level("VERBOSE"))))
        .isInstanceOf(SfnException.class)
        .satisfies(e -> assertThat(((SfnException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"))
        .hasMessageContaining("Value 'VERBOSE' at 'loggingConfiguration.level' failed to satisfy constraint");
    // Nothing was created, and an update with a bad configuration changes nothing.
    assertThat(sfn.listStateMachines(b -> { }).stateMachines()).noneMatch(m -> m.name().startsWith("bad-")
        || m.name().equals("no-destination"));
    String machine = sfn.createStateMachine(b -> b.name("kept-logging").roleArn(ROLE).definition(PASSES)
        .loggingConfiguration(logging(LogLevel.ERROR, false, FILE_GROUP))).stateMachineArn();
    assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(machine)
        .loggingConfiguration(l -> l.level(LogLevel.ALL))))
        .isInstanceOf(InvalidLoggingConfigurationException.class);
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine)).loggingConfiguration().level())
        .isEqualTo(LogLevel.ERROR);
  }

  private static List<JsonNode> fileRecords(String executionArn) {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try {
      return Files.readAllLines(logFile).stream().map(Json::parse)
          .filter(r -> r.get("execution_arn").asText().equals(executionArn)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every record of a topic so far, read committed. */
  private static List<ConsumerRecord<String, String>> topicRecords(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, dev.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, String>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
