package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.kafka.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Crash and restart: {@code stepstream dev} runs in a child process that is killed (SIGKILL) while a
 * STANDARD execution waits; started again on the same data directory, the execution finishes, and
 * its history holds each transition exactly once.
 */
class RestartTest {

  @TempDir
  Path dataDir;
  private Process server;

  @AfterEach
  void killServer() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void shouldFinishAWaitingExecutionExactlyOnceAfterTheServerIsKilled() throws Exception {
    int port = freePort();
    String endpoint = "http://127.0.0.1:" + port;
    server = startServer(port);
    String executionArn;
    try (SfnClient sfn = ExecutionsSfnClientTest.client(endpoint)) {
      String machine = sfn.createStateMachine(b -> b.name("survivor").roleArn(ExecutionsSfnClientTest.ROLE)
          .type(StateMachineType.STANDARD).definition("""
              {"StartAt": "Before", "States": {
                "Before": {"Type": "Pass", "Result": {"step": 1}, "Next": "Sleep"},
                "Sleep": {"Type": "Wait", "Seconds": 6, "Next": "After"},
                "After": {"Type": "Pass", "Parameters": {"step": 2}, "End": true}}}""")).stateMachineArn();
      executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("crash-1").input("{}")).executionArn();
      waitForStatus(sfn, executionArn, ExecutionStatus.RUNNING);
    }

    server.destroyForcibly().waitFor();
    server = startServer(port);

    try (SfnClient sfn = ExecutionsSfnClientTest.client(endpoint)) {
      // The name stays taken across the crash: the restarted server knows the execution at once.
      String machine = executionArn.replace(":execution:", ":stateMachine:").replace(":crash-1", "");
      assertThat(sfn.describeExecution(b -> b.executionArn(executionArn)).status())
          .isIn(ExecutionStatus.RUNNING, ExecutionStatus.SUCCEEDED);
      assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("crash-1").input("{\"other\":1}")))
          .isInstanceOf(ExecutionAlreadyExistsException.class);
      var done = waitForStatus(sfn, executionArn, ExecutionStatus.SUCCEEDED);
      assertThat(done.output()).isEqualTo("{\"step\":2}");
    }
    List<HistoryEventType> history = history(bootstrapServers(), executionArn);
    assertThat(history).containsExactly(HistoryEventType.ExecutionStarted, HistoryEventType.PassStateEntered,
        HistoryEventType.PassStateExited, HistoryEventType.WaitStateEntered, HistoryEventType.WaitStateExited,
        HistoryEventType.PassStateEntered, HistoryEventType.PassStateExited, HistoryEventType.ExecutionSucceeded);
  }

  /**
   * kill -9 in the middle of a Distributed Map of STANDARD children: after the restart the map run
   * goes on, and every item ran in exactly one child, exactly once (each child's log holds one
   * ExecutionStarted and one ExecutionSucceeded).
   */
  @Test
  void shouldFinishAMapRunExactlyOnceAfterTheServerIsKilled() throws Exception {
    int port = freePort();
    String endpoint = "http://127.0.0.1:" + port;
    server = startServer(port);
    String executionArn;
    String mapRunArn;
    try (SfnClient sfn = ExecutionsSfnClientTest.client(endpoint)) {
      String machine = sfn.createStateMachine(b -> b.name("map-survivor").roleArn(ExecutionsSfnClientTest.ROLE)
          .type(StateMachineType.STANDARD).definition("""
              {"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 6,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                  "StartAt": "Sleep", "States": {
                    "Sleep": {"Type": "Wait", "Seconds": 1, "Next": "Double"},
                    "Double": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": true}}},
                "End": true}}}""")).stateMachineArn();
      StringBuilder items = new StringBuilder("[");
      for (int i = 0; i < 60; i++) {
        items.append(i == 0 ? "" : ",").append("{\"n\": ").append(i).append('}');
      }
      String input = items.append(']').toString();
      executionArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("map-crash").input(input)).executionArn();
      mapRunArn = ExecutionsSfnClientTest.waitFor(() -> {
        var runs = sfn.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
        return runs.isEmpty() ? null : runs.get(0).mapRunArn();
      }, "the map run");
      String run = mapRunArn;
      ExecutionsSfnClientTest.waitFor(() -> sfn.describeMapRun(b -> b.mapRunArn(run)).executionCounts().succeeded() >= 12
          ? true : null, "some children to finish");
    }

    server.destroyForcibly().waitFor();
    server = startServer(port);

    try (SfnClient sfn = ExecutionsSfnClientTest.client(endpoint)) {
      var done = waitForStatus(sfn, executionArn, ExecutionStatus.SUCCEEDED);
      StringBuilder expected = new StringBuilder("[");
      for (int i = 0; i < 60; i++) {
        expected.append(i == 0 ? "" : ",").append("{\"twice\":").append(2 * i).append('}');
      }
      assertThat(done.output()).isEqualTo(expected.append(']').toString());
      String run = mapRunArn;
      var described = sfn.describeMapRun(b -> b.mapRunArn(run));
      assertThat(described.itemCounts().total()).isEqualTo(60);
      assertThat(described.itemCounts().succeeded()).isEqualTo(60);
      assertThat(described.executionCounts().total()).isEqualTo(60);
      List<String> children = new ArrayList<>();
      String token = null;
      do {
        String page = token;
        var listed = sfn.listExecutions(b -> b.mapRunArn(run).maxResults(100).nextToken(page));
        listed.executions().forEach(child -> children.add(child.executionArn()));
        token = listed.nextToken();
      } while (token != null);
      assertThat(children).hasSize(60).doesNotHaveDuplicates();
      java.util.Map<String, List<HistoryEventType>> logs = histories(bootstrapServers());
      for (String child : children) {
        assertThat(logs.get(child).stream()
            .filter(t -> t == HistoryEventType.ExecutionStarted || t == HistoryEventType.ExecutionSucceeded))
            .as(child).containsExactly(HistoryEventType.ExecutionStarted, HistoryEventType.ExecutionSucceeded);
      }
    }
  }

  /**
   * Starts {@code stepstream dev} on the data directory and waits until {@code GET /health} answers
   * 200. A start after kill -9 recovers the broker's logs and restores the Streams stores from their
   * changelogs, which takes a while on a busy machine: the budget is three minutes. A process that
   * exits, or does not get ready in time, fails the test with its exit code or a thread dump and the
   * end of its log.
   */
  private Process startServer(int port) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "io.stepstream.server.StepstreamCommand", "dev", "--port", Integer.toString(port),
        "--data-dir", dataDir.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue() + "; its log ends:\n" + tail(log));
      }
      try {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return process;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      if (System.nanoTime() > deadline) {
        try {
          // SIGQUIT: the JVM writes its threads to stdout, which is the log.
          new ProcessBuilder("kill", "-3", Long.toString(process.pid())).start().waitFor();
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new AssertionError("the server was not healthy within 3 minutes; its log ends:\n" + tail(log));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The last 400 lines of a log, the noise of the Streams start-up warnings left out. */
  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log).stream()
        .filter(line -> !line.contains("Processing exception handler is not enabled")).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 400), lines.size()));
  }

  private static software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse waitForStatus(SfnClient sfn,
      String executionArn, ExecutionStatus status) {
    return ExecutionsSfnClientTest.waitFor(() -> {
      var described = sfn.describeExecution(b -> b.executionArn(executionArn));
      return described.status() == status ? described : null;
    }, executionArn + " to be " + status);
  }

  private String bootstrapServers() throws IOException {
    return Files.readString(dataDir.resolve(DevMode.BOOTSTRAP_FILE)).trim();
  }

  private static List<HistoryEventType> history(String bootstrapServers, String executionArn) throws Exception {
    return histories(bootstrapServers).getOrDefault(executionArn, List.of());
  }

  /** Every STANDARD execution's event types, as the events topic holds them. */
  private static java.util.Map<String, List<HistoryEventType>> histories(String bootstrapServers) throws Exception {
    java.util.Map<String, List<HistoryEventType>> all = new java.util.HashMap<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      String topic = Topics.defaults().standardEvents();
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          List<HistoryEventType> types = all.computeIfAbsent(record.key(), k -> new ArrayList<>());
          for (HistoryEvent event : HistoryEventBatch.parseFrom(record.value()).getEventsList()) {
            types.add(event.getType());
          }
        }
      }
    }
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
