package io.stepstream.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.proto.DispatchTask;
import io.stepstream.worker.internals.FunctionResource;
import io.stepstream.worker.internals.HttpStatusText;
import io.stepstream.worker.internals.HttpTaskResource;
import io.stepstream.worker.internals.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TestState's invocation of a Task state's resource when no mock is given, as AWS's TestState
 * invokes the real resource: HTTP Tasks ({@code arn:aws:states:::http:invoke}) are called right here
 * by the worker's own {@link HttpTaskResource}, so the request, result and errors are those of an
 * execution's HTTP Task. Every other resource is refused: functions run on the workers that serve
 * them, which TestState does not dispatch to, and Stepstream runs no other AWS service.
 *
 * <p>The call runs on a virtual thread of its own and is given up (its thread interrupted) after the
 * task's {@code TimeoutSeconds}, or after {@link #LIMIT} like AWS's TestState, whichever is shorter.
 * Thread-safe; {@link #invoke} blocks its caller for the length of the call.
 */
public final class TestStateInvoker implements TaskInvoker {

  /** AWS's TestState runs for at most five minutes. */
  public static final Duration LIMIT = Duration.ofMinutes(5);

  private final HttpTaskResource http;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  /** An invoker whose HTTP Tasks use {@code http}. */
  public TestStateInvoker(HttpClient http) {
    this.http = new HttpTaskResource(http);
  }

  /** An invoker with an HTTP client configured as the workers' ({@link HttpTaskResource#client}). */
  public static TestStateInvoker create() {
    return new TestStateInvoker(HttpTaskResource.client().build());
  }

  @Override
  public String refusal(String resource) {
    String base = TaskResourceArn.base(resource);
    if (base.equals(HttpTaskResource.RESOURCE)) {
      return null;
    }
    String mockInstead = ": give the state a mock (mock.result or mock.errorOutput) instead";
    if (FunctionResource.handles(base)) {
      return "Stepstream's TestState does not invoke functions ('" + resource + "'), which run on the workers that "
          + "serve them" + mockInstead;
    }
    return "Stepstream's TestState invokes only HTTP Tasks (" + HttpTaskResource.RESOURCE + "), not '" + resource + "'"
        + mockInstead;
  }

  @Override
  public Result invoke(DispatchTask task) {
    JsonNode parameters = Json.parse(task.getInput());
    long limit = task.getTimeoutSeconds() > 0 ? Math.min(task.getTimeoutSeconds(), LIMIT.toSeconds()) : LIMIT.toSeconds();
    Future<HttpTaskResource.Exchange> call = calls.submit(() -> http.call(parameters, task.getTraceparent()));
    HttpTaskResource.Exchange exchange;
    try {
      exchange = call.get(limit, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return Result.timedOut(null);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      return Result.failed("States.Runtime", "TestState was interrupted while the HTTP Task ran", null, null);
    } catch (ExecutionException e) {
      // As a worker reports a resource's unexpected failure (a method or header the HTTP client refuses).
      TaskFailure failure = TaskFailure.of(e.getCause());
      return Result.failed(failure.error(), failure.cause(), null, null);
    }
    ObjectNode request = exchange.request() == null ? null : request(exchange);
    ObjectNode response = exchange.response() == null ? null : response(exchange);
    return switch (exchange.outcome()) {
      case Outcome.Succeeded succeeded -> Result.succeeded(succeeded.output(), request, response);
      case Outcome.Failed failed -> Result.failed(failed.error(), failed.cause(), request, response);
      case Outcome.Silent silent -> throw new IllegalStateException("an HTTP Task always reports");
    };
  }

  /** {@code inspectionData.request}: every member a string, as AWS's InspectionDataRequest. */
  private static ObjectNode request(HttpTaskResource.Exchange exchange) {
    URI uri = exchange.request().uri();
    return Json.object().put("protocol", uri.getScheme()).put("method", exchange.request().method())
        .put("url", uri.toString()).put("headers", headers(exchange.request().headers())).put("body", exchange.body());
  }

  /** {@code inspectionData.response}: every member a string, as AWS's InspectionDataResponse. */
  private static ObjectNode response(HttpTaskResource.Exchange exchange) {
    int status = exchange.response().statusCode();
    return Json.object().put("protocol", exchange.request().uri().getScheme()).put("statusCode", Integer.toString(status))
        .put("statusMessage", HttpStatusText.of(status)).put("headers", headers(exchange.response().headers()))
        .put("body", exchange.response().body());
  }

  /** Headers as one string, {@code [Name: value, Name: value]}; HTTP/2 pseudo-headers left out. */
  static String headers(HttpHeaders headers) {
    StringJoiner joined = new StringJoiner(", ", "[", "]");
    for (Map.Entry<String, List<String>> header : headers.map().entrySet()) {
      if (!header.getKey().startsWith(":")) {
        for (String value : header.getValue()) {
          joined.add(header.getKey() + ": " + value);
        }
      }
    }
    return joined.toString();
  }
}
