package io.stepstream.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.gateway.GatewayConfig;
import io.stepstream.gateway.GatewayServer;
import io.stepstream.gateway.StepFunctionsApi;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.registry.InMemoryStateMachineRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The console's files over HTTP: content types, cache headers, revalidation, and nothing outside the console. */
class ConsoleHttpTest {

  static GatewayServer server;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = GatewayServer.start(GatewayConfig.of("127.0.0.1", 0),
        StepFunctionsApi.stateMachineActions(new InMemoryStateMachineRegistry(), Arns.defaults(), definition -> List.of(),
            TaskInvoker.NONE, Clock.systemUTC()).build(),
        () -> true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.endpoint() + path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeTheIndexAtTheConsoleRootAndRedirectThePathWithoutSlash() throws Exception {
    HttpResponse<String> index = get("/console/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> v.contains("default-src 'self'"));
    assertThat(index.body()).contains("<script type=\"module\" src=\"app.js\">");

    HttpResponse<String> bare = get("/console");
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("location")).hasValue("/console/");
  }

  @Test
  void shouldServeScriptsStylesAndTheVendoredLibraryWithTheirTypesAndCachePolicies() throws Exception {
    assertThat(get("/console/app.js").headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
    assertThat(get("/console/pages/execution.js").statusCode()).isEqualTo(200);
    assertThat(get("/console/style.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    assertThat(get("/console/favicon.svg").headers().firstValue("content-type")).hasValue("image/svg+xml");
    HttpResponse<String> elk = get("/console/vendor/elkjs-0.12.1/elk.bundled.js");
    assertThat(elk.statusCode()).isEqualTo(200);
    assertThat(elk.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
  }

  @Test
  void shouldAnswerNotModifiedForTheCurrentEntityTag() throws Exception {
    String etag = get("/console/app.js").headers().firstValue("etag").orElseThrow();
    HttpResponse<String> again = get("/console/app.js", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(get("/console/app.js", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldServeNothingOutsideTheConsoleFiles() throws Exception {
    assertThat(get("/console/missing.js").statusCode()).isEqualTo(404);
    assertThat(get("/console/%2e%2e/%2e%2e/io/stepstream/gateway/GatewayServer.class").statusCode()).isEqualTo(404);
    assertThat(get("/console/../GatewayServer.class").statusCode()).isEqualTo(404);
    assertThat(get("/console/.hidden.js").statusCode()).isEqualTo(404);
    assertThat(get("/console/index").statusCode()).isEqualTo(404);
  }
}
