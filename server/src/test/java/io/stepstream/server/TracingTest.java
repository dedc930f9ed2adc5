package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.stepstream.gateway.api.Arns;
import io.stepstream.kafka.Topics;
import io.stepstream.server.telemetry.Observability;
import io.stepstream.worker.TaskHandlers;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * A state machine with tracing enabled sends its spans over OTLP to a collector (here a receiver
 * that decodes OTLP/HTTP protobuf): one for the execution, one per state, one per task, a .sync child
 * execution under the task that started it, all in the trace of the StartExecution's trace header;
 * the worker's handler and the HTTP Task's server get the task span's traceparent.
 */
class TracingTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @TempDir
  static Path dataDir;
  static HttpServer receiver;
  static final Queue<Span> spans = new ConcurrentLinkedQueue<>();
  static final Queue<String> httpTraceparents = new ConcurrentLinkedQueue<>();
  static final Queue<String> workerTraceparents = new ConcurrentLinkedQueue<>();
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/v1/traces", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
        for (ResourceSpans resource : request.getResourceSpansList()) {
          for (ScopeSpans scope : resource.getScopeSpansList()) {
            spans.addAll(scope.getSpansList());
          }
        }
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    receiver.createContext("/work", exchange -> {
      String traceparent = exchange.getRequestHeaders().getFirst("traceparent");
      httpTraceparents.add(traceparent == null ? "" : traceparent);
      byte[] answer = "{\"worked\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    receiver.start();
    TaskHandlers handlers = TaskHandlers.builder().register("charge", Map.class, (input, context) -> {
      workerTraceparents.add(context.traceparent());
      return Map.of("charged", true);
    }).build();
    URI collector = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers, null, Duration.ofSeconds(30),
        Observability.create(collector, List.of(), Topics.defaults().executionLogs()));
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
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void shouldExportTheSpansOfATracedExecutionInTheCallersTrace() {
    String child = sfn.createStateMachine(b -> b.name("traced-child").type(StateMachineType.STANDARD).roleArn(ROLE)
        .tracingConfiguration(t -> t.enabled(true))
        .definition("""
            {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "End": true}}}""")).stateMachineArn();
    String parent = sfn.createStateMachine(b -> b.name("traced-parent").type(StateMachineType.STANDARD).roleArn(ROLE)
        .tracingConfiguration(t -> t.enabled(true))
        .definition("""
            {"StartAt": "Prepare", "States": {
              "Prepare": {"Type": "Pass", "Next": "Charge"},
              "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "charge", "Payload": {}}, "Next": "Call"},
              "Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
                "Parameters": {"ApiEndpoint": "http://127.0.0.1:%d/work", "Method": "GET"}, "Next": "Child"},
              "Child": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": "%s", "Input": {}}, "End": true}}}"""
            .formatted(receiver.getAddress().getPort(), child))).stateMachineArn();
    assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(parent)).tracingConfiguration().enabled()).isTrue();

    String arn = sfn.startExecution(b -> b.stateMachineArn(parent).input("{}")
        .traceHeader("00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")).executionArn();
    awaitStatus(sfn, arn, ExecutionStatus.SUCCEEDED);

    Span execution = await(s -> s.getName().equals("execution traced-parent"));
    Span childExecution = await(s -> s.getName().equals("execution traced-child"));
    Span inner = await(s -> s.getName().equals("state Inner"));
    Map<String, Span> states = Map.of(
        "Prepare", await(s -> s.getName().equals("state Prepare")),
        "Charge", await(s -> s.getName().equals("state Charge")),
        "Call", await(s -> s.getName().equals("state Call")),
        "Child", await(s -> s.getName().equals("state Child")));
    Span chargeTask = await(s -> s.getName().equals("task Charge"));
    Span callTask = await(s -> s.getName().equals("task Call"));
    Span childTask = await(s -> s.getName().equals("task Child"));

    // One trace, the caller's, with the execution under the caller's span.
    assertThat(List.of(execution, childExecution, inner, chargeTask, callTask, childTask))
        .allSatisfy(span -> assertThat(hex(span.getTraceId())).isEqualTo(CALLER_TRACE));
    assertThat(hex(execution.getParentSpanId())).isEqualTo(CALLER_SPAN);
    assertThat(execution.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(execution.getStatus().getCode()).isNotEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    // Each state under the execution, each task under its state, the child under its task.
    states.values().forEach(state -> {
      assertThat(hex(state.getTraceId())).isEqualTo(CALLER_TRACE);
      assertThat(state.getParentSpanId()).isEqualTo(execution.getSpanId());
      assertThat(state.getStartTimeUnixNano()).isBetween(execution.getStartTimeUnixNano(), state.getEndTimeUnixNano());
      assertThat(state.getEndTimeUnixNano()).isLessThanOrEqualTo(execution.getEndTimeUnixNano());
    });
    assertThat(chargeTask.getParentSpanId()).isEqualTo(states.get("Charge").getSpanId());
    assertThat(callTask.getParentSpanId()).isEqualTo(states.get("Call").getSpanId());
    assertThat(childTask.getParentSpanId()).isEqualTo(states.get("Child").getSpanId());
    assertThat(chargeTask.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(childExecution.getParentSpanId()).isEqualTo(childTask.getSpanId());
    assertThat(inner.getParentSpanId()).isEqualTo(childExecution.getSpanId());
    // The worker's handler and the HTTP server got the context of their task's span.
    assertThat(workerTraceparents).containsExactly(traceparent(chargeTask));
    assertThat(httpTraceparents).containsExactly(traceparent(callTask));
    // Each span once, although the execution moved across several commands (and instances may change).
    Map<String, Long> perSpan = spans.stream().filter(s -> hex(s.getTraceId()).equals(CALLER_TRACE))
        .collect(Collectors.groupingBy(s -> hex(s.getSpanId()), Collectors.counting()));
    assertThat(perSpan).hasSize(10).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void shouldExportNothingForAStateMachineWithoutTracing() {
    String plain = sfn.createStateMachine(b -> b.name("untraced").type(StateMachineType.STANDARD).roleArn(ROLE)
        .definition("""
            {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": true}}}""")).stateMachineArn();
    String traced = sfn.createStateMachine(b -> b.name("traced-after").type(StateMachineType.STANDARD).roleArn(ROLE)
        .tracingConfiguration(t -> t.enabled(true))
        .definition("""
            {"StartAt": "Last", "States": {"Last": {"Type": "Pass", "End": true}}}""")).stateMachineArn();
    String first = sfn.startExecution(b -> b.stateMachineArn(plain).input("{}")).executionArn();
    awaitStatus(sfn, first, ExecutionStatus.SUCCEEDED);
    String second = sfn.startExecution(b -> b.stateMachineArn(traced).input("{}")).executionArn();
    awaitStatus(sfn, second, ExecutionStatus.SUCCEEDED);

    // The traced execution's spans came after the untraced one ended: had it any, they were sent by now.
    Span last = await(s -> s.getName().equals("execution traced-after"));
    assertThat(last.getParentSpanId().isEmpty()).isTrue();
    assertThat(spans).noneMatch(s -> s.getName().equals("execution untraced") || s.getName().equals("state Only"));
  }

  private static Span await(Predicate<Span> which) {
    return waitFor(() -> spans.stream().filter(which).findFirst().orElse(null), "a span");
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  private static String traceparent(Span span) {
    return "00-" + hex(span.getTraceId()) + "-" + hex(span.getSpanId()) + "-01";
  }
}
