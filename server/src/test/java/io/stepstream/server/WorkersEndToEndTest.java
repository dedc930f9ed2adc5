package io.stepstream.server;

import static io.stepstream.server.ExecutionsSfnClientTest.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Arns;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.examples.OrderSaga;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/** Task states run by workers, end to end: dev mode (embedded broker, coordinator, worker, gateway) and the AWS SDK. */
class WorkersEndToEndTest {

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;
  static HttpServer http;
  static final OrderSaga.Ledger LEDGER = new OrderSaga.Ledger();
  static final BlockingQueue<String> APPROVAL_TOKENS = new LinkedBlockingQueue<>();
  static final CountDownLatch SLOW_CANCELLED = new CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    TaskHandlers handlers = TaskHandlers.builder()
        .addAll(OrderSaga.handlers(LEDGER))
        .register("request-approval", JsonNode.class, (input, context) -> {
          APPROVAL_TOKENS.add(input.get("token").asText());
          return Json.object().put("sent", true);
        })
        .register("slow", JsonNode.class, (input, context) -> {
          try {
            Thread.sleep(input.path("millis").asLong(5_000));
          } catch (InterruptedException e) {
            if (context.isCancelled()) {
              SLOW_CANCELLED.countDown();
            }
            throw e;
          }
          return input;
        })
        .register("patient", JsonNode.class, (input, context) -> {
          for (int i = 0; i < 10; i++) {
            Thread.sleep(300);
            context.heartbeat();
          }
          return Json.object().put("done", true);
        })
        .build();
    // A function no worker serves is not found after a second (shouldFailAnUnknownFunctionAsLambdaDoes).
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers, null, Duration.ofSeconds(1));
    sfn = ExecutionsSfnClientTest.client(dev.endpoint());
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/orders", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String reply = Json.write(Json.object().put("method", exchange.getRequestMethod())
          .put("query", exchange.getRequestURI().getRawQuery()).put("body", body)
          .put("token", exchange.getRequestHeaders().getFirst("X-Token")));
      send(exchange, 201, reply);
    });
    http.createContext("/missing", exchange -> send(exchange, 404, "{\"message\":\"no such thing\"}"));
    http.start();
  }

  private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String reply) throws IOException {
    byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @AfterAll
  static void stop() {
    if (http != null) {
      http.stop(0);
    }
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  static final String SAGA = """
      {"StartAt": "Reserve", "States": {
        "Reserve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "reserve", "Payload.$": "$"},
          "ResultSelector": {"reference.$": "$.Payload.reference"}, "ResultPath": "$.reservation", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
          "ResultPath": "$.payment",
          "Retry": [{"ErrorEquals": ["Payment.Throttled"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2,
                     "MaxDelaySeconds": 2, "JitterStrategy": "FULL"}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Release"}], "Next": "Ship"},
        "Ship": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:ship:live", "Payload.$": "$"},
          "ResultSelector": {"reference.$": "$.Payload.reference"}, "ResultPath": "$.shipment",
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}], "End": true},
        "Refund": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:refund",
          "ResultPath": null, "Next": "Release"},
        "Release": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:release",
          "ResultPath": null, "Next": "OrderFailed"},
        "OrderFailed": {"Type": "Fail", "Error": "OrderFailed", "CausePath": "$.error.Error"}}}""";

  @Test
  void shouldRunTheOrderSagaRetryingThrottledCharges() throws Exception {
    String machine = create("saga-ok", SAGA, StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("o-1")
        .input("{\"orderId\": \"o-1\", \"item\": \"book\", \"quantity\": 1, \"amountCents\": 1200, \"throttle\": 2}"))
        .executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);

    JsonNode output = Json.parse(done.output());
    assertThat(output.at("/reservation/reference").asText()).isEqualTo("R-o-1");
    assertThat(output.at("/payment/reference").asText()).isEqualTo("C-o-1");
    assertThat(output.at("/shipment/reference").asText()).isEqualTo("S-o-1");
    assertThat(LEDGER.steps("o-1")).containsExactly("reserve", "charge", "ship");
    List<HistoryEvent> history = Histories.of(dev.bootstrapServers(), arn);
    // Charge names its Lambda function directly (LambdaFunction* events); Reserve and Ship go through
    // the lambda:invoke integration (Task* events).
    assertThat(history).filteredOn(e -> e.getType() == HistoryEventType.LambdaFunctionFailed)
        .extracting(e -> e.getLambdaFunctionFailedEventDetails().getError())
        .containsExactly("Payment.Throttled", "Payment.Throttled");
    assertThat(count(history, HistoryEventType.TaskScheduled)).as(history.stream().map(HistoryEvent::getType).toList().toString()).isEqualTo(2);
    assertThat(count(history, HistoryEventType.LambdaFunctionScheduled)).isEqualTo(3);
    assertThat(count(history, HistoryEventType.TaskStarted)).isEqualTo(2);
    assertThat(count(history, HistoryEventType.LambdaFunctionStarted)).isEqualTo(3);
    assertThat(count(history, HistoryEventType.TaskSucceeded)).isEqualTo(2);
    assertThat(count(history, HistoryEventType.LambdaFunctionSucceeded)).isEqualTo(1);
  }

  @Test
  void shouldCompensateInReverseOrderWhenShippingFails() throws Exception {
    String machine = create("saga-compensate", SAGA, StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("o-2")
        .input("{\"orderId\": \"o-2\", \"item\": \"lamp\", \"quantity\": 2, \"amountCents\": 5000, \"shippingDown\": true}"))
        .executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.FAILED);

    assertThat(done.error()).isEqualTo("OrderFailed");
    assertThat(done.cause()).isEqualTo("Shipping.Unavailable");
    assertThat(LEDGER.steps("o-2")).containsExactly("reserve", "charge", "refund", "release");
  }

  @Test
  void shouldResumeACallbackTaskWithSendTaskSuccess() throws Exception {
    String machine = create("approval", """
        {"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
          "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "request-approval", "Payload": {"token.$": "$$.Task.Token", "order.$": "$.order"}},
          "ResultPath": "$.approval", "End": true}}}""", StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\": 9}")).executionArn();

    String token = APPROVAL_TOKENS.poll(60, TimeUnit.SECONDS);
    assertThat(token).isNotNull();
    // The worker's own result is not the task's: the execution keeps waiting for the token.
    assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.RUNNING);
    sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\": true}"));

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);
    assertThat(done.output()).isEqualTo("{\"order\":9,\"approval\":{\"approved\":true}}");
  }

  @Test
  void shouldFailATaskWhoseWorkerStopsSendingHeartbeats() {
    String machine = create("heartbeat", """
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "slow", "Payload": {"millis": 4000}}, "HeartbeatSeconds": 1, "End": true}}}""",
        StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.FAILED);

    assertThat(done.error()).isEqualTo("States.HeartbeatTimeout");
  }

  @Test
  void shouldKeepATaskAliveWithHeartbeats() {
    String machine = create("heartbeats", """
        {"StartAt": "Patient", "States": {"Patient": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "patient"}, "HeartbeatSeconds": 1, "OutputPath": "$.Payload", "End": true}}}""",
        StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);

    assertThat(done.output()).isEqualTo("{\"done\":true}");
  }

  @Test
  void shouldTimeOutATaskAndCancelItsInvocation() throws Exception {
    String machine = create("task-timeout", """
        {"StartAt": "Slow", "States": {"Slow": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "slow", "Payload": {"millis": 30000}}, "TimeoutSeconds": 1, "End": true}}}""",
        StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.FAILED);

    assertThat(done.error()).isEqualTo("States.Timeout");
    assertThat(SLOW_CANCELLED.await(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldFailAnUnknownFunctionAsLambdaDoes() {
    String machine = create("unknown-function", """
        {"StartAt": "Nope", "States": {"Nope": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "nope"}, "End": true}}}""", StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.FAILED);

    assertThat(done.error()).isEqualTo("Lambda.ResourceNotFoundException");
    assertThat(done.cause()).startsWith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope");
  }

  @Test
  void shouldWrapTheFunctionResultAsLambdaInvokeDoes() {
    String machine = create("greet", """
        {"StartAt": "Greet", "States": {"Greet": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "greet", "Payload.$": "$"}, "End": true}}}""", StateMachineType.EXPRESS);

    var done = sfn.startSyncExecution(b -> b.stateMachineArn(machine).input("{\"name\": \"Ada\"}"));

    JsonNode output = Json.parse(done.output());
    assertThat(output.get("Payload")).isEqualTo(Json.parse("{\"name\": \"Hello, Ada!\"}"));
    assertThat(output.get("StatusCode").asInt()).isEqualTo(200);
    assertThat(output.get("ExecutedVersion").asText()).isEqualTo("$LATEST");
    assertThat(output.at("/SdkHttpMetadata/HttpStatusCode").asInt()).isEqualTo(200);
  }

  @Test
  void shouldRunANestedExecutionSynchronously() {
    String child = create("child", """
        {"StartAt": "Greet", "States": {"Greet": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "greet", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": true}}}""",
        StateMachineType.STANDARD);
    String parent = create("parent", """
        {"StartAt": "Json", "States": {
          "Json": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
            "Parameters": {"StateMachineArn": "%s", "Input": {"name.$": "$.name"}},
            "ResultSelector": {"greeting.$": "$.Output.name", "status.$": "$.Status"}, "ResultPath": "$.json", "Next": "Text"},
          "Text": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
            "Parameters": {"StateMachineArn": "%s", "Input": {"name": "Bob"}},
            "ResultSelector": {"output.$": "$.Output"}, "ResultPath": "$.text", "End": true}}}""".formatted(child, child),
        StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(parent).input("{\"name\": \"Ada\"}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);

    JsonNode output = Json.parse(done.output());
    assertThat(output.at("/json/greeting").asText()).isEqualTo("Hello, Ada!");
    assertThat(output.at("/json/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(output.at("/text/output").asText()).isEqualTo("{\"name\":\"Hello, Bob!\"}");
  }

  @Test
  void shouldStopTheChildWhenTheParentIsStopped() {
    String child = create("sleepy-child", """
        {"StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "Seconds": 600, "End": true}}}""", StateMachineType.STANDARD);
    String parent = create("sleepy-parent", """
        {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
          "Parameters": {"StateMachineArn": "%s", "Name": "the-child"}, "End": true}}}""".formatted(child),
        StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(parent).input("{}")).executionArn();
    String childArn = child.replace(":stateMachine:", ":execution:") + ":the-child";
    // A worker starts the child on its own time: wait until it is listed, then it is known everywhere.
    waitFor(() -> sfn.listExecutions(r -> r.stateMachineArn(child)).executions().stream()
        .anyMatch(e -> e.executionArn().equals(childArn)) ? true : null, "the worker to start the child");
    awaitStatus(childArn, ExecutionStatus.RUNNING);

    sfn.stopExecution(b -> b.executionArn(arn));

    awaitStatus(arn, ExecutionStatus.ABORTED);
    awaitStatus(childArn, ExecutionStatus.ABORTED);
  }

  @Test
  void shouldCallAnHttpServerWithTheHttpTask() {
    String base = "http://127.0.0.1:" + http.getAddress().getPort();
    String machine = create("http", """
        {"StartAt": "Post", "States": {
          "Post": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {"ApiEndpoint": "%s/orders", "Method": "POST", "Headers": {"X-Token": "secret"},
              "QueryParameters": {"tags": ["a", "b"], "page": 2}, "RequestBody": {"orderId.$": "$.orderId"}},
            "ResultPath": "$.created", "Next": "Missing"},
          "Missing": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
            "Parameters": {"ApiEndpoint": "%s/missing", "Method": "GET"},
            "Catch": [{"ErrorEquals": ["States.Http.StatusCode.404"], "ResultPath": "$.missing", "Next": "Done"}], "End": true},
          "Done": {"Type": "Succeed"}}}""".formatted(base, base), StateMachineType.STANDARD);
    String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"orderId\": \"o-7\"}")).executionArn();

    DescribeExecutionResponse done = awaitStatus(arn, ExecutionStatus.SUCCEEDED);

    JsonNode output = Json.parse(done.output());
    JsonNode created = output.get("created");
    assertThat(created.get("StatusCode").asInt()).isEqualTo(201);
    assertThat(created.get("StatusText").asText()).isEqualTo("Created");
    assertThat(created.at("/Headers/content-type/0").asText()).isEqualTo("application/json");
    assertThat(created.at("/ResponseBody/method").asText()).isEqualTo("POST");
    assertThat(created.at("/ResponseBody/token").asText()).isEqualTo("secret");
    assertThat(created.at("/ResponseBody/body").asText()).isEqualTo("{\"orderId\":\"o-7\"}");
    assertThat(created.at("/ResponseBody/query").asText()).contains("tags%5B0%5D=a").contains("tags%5B1%5D=b")
        .contains("page=2");
    assertThat(output.at("/missing/Error").asText()).isEqualTo("States.Http.StatusCode.404");
  }

  private static long count(List<HistoryEvent> history, HistoryEventType type) {
    return history.stream().filter(e -> e.getType() == type).count();
  }

  static String create(String name, String definition, StateMachineType type) {
    return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE).type(type)).stateMachineArn();
  }

  static DescribeExecutionResponse awaitStatus(String executionArn, ExecutionStatus status) {
    return SfnTestClients.awaitStatus(sfn, executionArn, status);
  }


  static <T> T waitFor(Supplier<T> probe, String what) {
    return SfnTestClients.waitFor(probe, what);
  }


  static Map<String, List<HistoryEvent>> histories() throws Exception {
    return Histories.read(dev.bootstrapServers());
  }
}
