package io.stepstream.server;

import static io.stepstream.server.ExecutionsSfnClientTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.kafka.Topics;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Thousands of tasks while the tasks topic grows from 2 to 6 partitions, a second worker joins and
 * the first one leaves: every execution completes, each scheduled task succeeds exactly once in the
 * STANDARD histories, and every side effect ran at least once under its task's idempotency key.
 */
class WorkerScaleOutTest {

  private static final int EXECUTIONS = 1_000;
  private static final int TASKS_PER_EXECUTION = 3;

  @TempDir
  static Path dataDir;

  @Test
  void shouldCompleteEveryTaskWhilePartitionsAndWorkersChange() throws Exception {
    Map<String, AtomicInteger> sideEffects = new ConcurrentHashMap<>();
    TaskHandlers handlers = TaskHandlers.builder()
        .register("step", JsonNode.class, (input, context) -> {
          sideEffects.computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
          Thread.sleep(2);
          return Json.object().put("n", input.path("n").asInt() + 1);
        })
        .build();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers);
        SfnClient sfn = ExecutionsSfnClientTest.client(dev.endpoint());
        Admin admin = Admin.create(Map.of("bootstrap.servers", dev.bootstrapServers()))) {
      String machine = sfn.createStateMachine(b -> b.name("three-steps").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "A", "States": {
                "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Parameters": {"FunctionName": "step", "Payload.$": "$"}, "OutputPath": "$.Payload", "Next": "B"},
                "B": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:step", "Next": "C"},
                "C": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:step", "End": true}}}"""))
          .stateMachineArn();
      WorkerService second = null;
      ExecutorService starters = Executors.newFixedThreadPool(16);
      List<Future<String>> started = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        int n = i;
        started.add(starters.submit(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("run-" + n)
            .input("{\"n\": 0}")).executionArn()));
        if (i == EXECUTIONS / 4) {
          second = WorkerService.start(WorkerConfig.of(dev.bootstrapServers(), "second"), handlers);
        } else if (i == EXECUTIONS / 2) {
          admin.createPartitions(Map.of(Topics.defaults().tasks(), NewPartitions.increaseTo(6))).all().get();
        } else if (i == 3 * EXECUTIONS / 4) {
          // The first worker leaves while work is flowing; its unfinished tasks go to the second.
          dev.worker().close();
        }
      }
      List<String> arns = new ArrayList<>();
      for (Future<String> future : started) {
        arns.add(future.get());
      }
      starters.shutdown();

      Set<String> arnSet = Set.copyOf(arns);
      Map<String, List<HistoryEvent>> histories = ExecutionsSfnClientTest.waitFor(() -> {
        try {
          Map<String, List<HistoryEvent>> all = Histories.read(dev.bootstrapServers());
          long done = arnSet.stream().filter(arn -> all.getOrDefault(arn, List.of()).stream()
              .anyMatch(Histories::isTerminal)).count();
          return done == arnSet.size() ? all : null;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, "every execution to finish", Duration.ofMinutes(3));

      for (String arn : arns) {
        List<HistoryEvent> history = histories.get(arn);
        assertThat(history).as(arn).anyMatch(e -> e.getType() == HistoryEventType.ExecutionSucceeded);
        assertThat(history.stream().filter(e -> e.getType() == HistoryEventType.TaskScheduled
            || e.getType() == HistoryEventType.LambdaFunctionScheduled).count()).as(arn)
            .isEqualTo(TASKS_PER_EXECUTION);
        assertThat(history.stream().filter(e -> e.getType() == HistoryEventType.TaskSucceeded
            || e.getType() == HistoryEventType.LambdaFunctionSucceeded).count()).as(arn)
            .isEqualTo(TASKS_PER_EXECUTION);
        assertThat(history.stream().map(HistoryEvent::getId).distinct().count()).as(arn).isEqualTo(history.size());
      }
      assertThat(sideEffects).hasSize(EXECUTIONS * TASKS_PER_EXECUTION);
      assertThat(sideEffects.values()).allSatisfy(calls -> assertThat(calls.get()).isGreaterThanOrEqualTo(1));
      assertThat(admin.describeTopics(List.of(Topics.defaults().tasks())).allTopicNames().get()
          .get(Topics.defaults().tasks()).partitions()).hasSize(6);
      if (second != null) {
        second.close();
      }
    }
  }
}
