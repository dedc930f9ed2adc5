package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.WorkerConfig;
import io.stepstream.worker.WorkerService;
import io.stepstream.worker.examples.OrderSaga;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Workers with different handler sets on one cluster: a task reaches a worker that serves its
 * function, and only a function that no worker serves fails, with Lambda.ResourceNotFoundException.
 */
class WorkerRoutingTest {

  private static final int EXECUTIONS = 40;

  @TempDir
  Path dataDir;

  @Test
  void shouldCompleteEveryExecutionWhenTheBuiltInWorkerLacksTheHandlers() throws Exception {
    // given: dev's in-process worker without handlers, and the example worker beside it (as the README runs it)
    OrderSaga.Ledger ledger = new OrderSaga.Ledger();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), TaskHandlers.none());
        WorkerService saga = WorkerService.start(WorkerConfig.of(dev.bootstrapServers(), "order-saga"),
            OrderSaga.handlers(ledger));
        SfnClient sfn = SfnTestClients.client(dev.endpoint())) {
      String machine = sfn.createStateMachine(b -> b.name("saga").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition(WorkersEndToEndTest.SAGA)).stateMachineArn();

      // when
      List<String> arns = new ArrayList<>();
      for (int i = 0; i < EXECUTIONS; i++) {
        String order = "o-" + i;
        arns.add(sfn.startExecution(b -> b.stateMachineArn(machine).name(order).input(
            "{\"orderId\": \"" + order + "\", \"item\": \"book\", \"quantity\": 1, \"amountCents\": 1200}"))
            .executionArn());
      }

      // then
      Map<String, List<HistoryEvent>> histories = SfnTestClients.waitFor(() -> finished(dev, arns),
          "every execution to finish");
      Map<ExecutionStatus, Long> statuses = arns.stream().collect(Collectors.groupingBy(
          arn -> sfn.describeExecution(b -> b.executionArn(arn)).status(), Collectors.counting()));
      List<String> notFound = arns.stream()
          .filter(arn -> histories.get(arn).toString().contains("Lambda.ResourceNotFoundException")).toList();
      assertThat(notFound).as("executions with a Lambda.ResourceNotFoundException").isEmpty();
      assertThat(statuses).isEqualTo(Map.of(ExecutionStatus.SUCCEEDED, (long) EXECUTIONS));
      for (int i = 0; i < EXECUTIONS; i++) {
        assertThat(ledger.steps("o-" + i)).containsExactly("reserve", "charge", "ship");
      }
    }
  }

  @Test
  void shouldFailATaskOfAFunctionNoWorkerServesOnceTheConfiguredTimeHasPassed() throws Exception {
    // given: a short time before a function is not found; dev's worker serves nothing, another worker serves greet
    Duration notFoundAfter = Duration.ofSeconds(2);
    TaskHandlers greet = TaskHandlers.builder()
        .register("greet", OrderSaga.Greeting.class, (who, context) -> new OrderSaga.Greeting("Hello, " + who.name()))
        .build();
    try (DevMode dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), TaskHandlers.none(), null,
        notFoundAfter);
        WorkerService greeter = WorkerService.start(
            WorkerConfig.of(dev.bootstrapServers(), "greeter").withFunctionNotFoundAfter(notFoundAfter), greet);
        SfnClient sfn = SfnTestClients.client(dev.endpoint());
        Admin admin = Admin.create(Map.of("bootstrap.servers", dev.bootstrapServers()))) {
      // The greeter serves greet from when it is a member of greet's group.
      SfnTestClients.waitFor(() -> hasMembers(admin, "sfn.workers.fn.greet") ? true : null, "the greeter to serve greet");
      String machine = sfn.createStateMachine(b -> b.name("missing").roleArn(ROLE).type(StateMachineType.STANDARD)
          .definition("""
              {"StartAt": "Greet", "States": {
                "Greet": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "greet", "Payload": {"name": "Ada"}}, "Next": "Missing"},
                "Missing": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:nobody-serves-this",
                  "End": true}}}""")).stateMachineArn();

      // when
      String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("m-1")).executionArn();

      // then
      var done = SfnTestClients.awaitStatus(sfn, arn, ExecutionStatus.FAILED);
      assertThat(done.error()).isEqualTo("Lambda.ResourceNotFoundException");
      List<HistoryEvent> history = Histories.of(dev.bootstrapServers(), arn);
      assertThat(history).filteredOn(e -> e.getType() == HistoryEventType.TaskSucceeded).hasSize(1);
      HistoryEvent scheduled = only(history, HistoryEventType.LambdaFunctionScheduled);
      HistoryEvent failed = only(history, HistoryEventType.LambdaFunctionFailed);
      assertThat(failed.getLambdaFunctionFailedEventDetails().getCause())
          .contains("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nobody-serves-this");
      assertThat(failed.getTimestampMs() - scheduled.getTimestampMs())
          .as("the task waited for a worker at least as long as configured")
          .isGreaterThanOrEqualTo(notFoundAfter.toMillis());
    }
  }

  private static boolean hasMembers(Admin admin, String group) {
    try {
      return !admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members().isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static HistoryEvent only(List<HistoryEvent> history, HistoryEventType type) {
    List<HistoryEvent> found = history.stream().filter(e -> e.getType() == type).toList();
    assertThat(found).as(type.toString()).hasSize(1);
    return found.getFirst();
  }

  /** The histories of the executions once every one of them has ended, else null. */
  private static Map<String, List<HistoryEvent>> finished(DevMode dev, List<String> arns) {
    try {
      Map<String, List<HistoryEvent>> all = Histories.read(dev.bootstrapServers());
      boolean done = arns.stream()
          .allMatch(arn -> all.getOrDefault(arn, List.of()).stream().anyMatch(Histories::isTerminal));
      return done ? all : null;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
