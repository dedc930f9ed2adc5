package io.stepstream.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.worker.internals.FunctionResource;
import io.stepstream.worker.internals.HttpStatusText;
import io.stepstream.worker.internals.HttpTaskResource;
import io.stepstream.worker.internals.NestedExecutionResource;
import io.stepstream.worker.internals.Outcome;
import io.stepstream.worker.internals.Resources;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TestState's invocation of a Task state's resource when no mock is given, as AWS's TestState
 * invokes the real resource, each the way an execution's Task reaches it:
 *
 * <ul>
 *   <li>HTTP Tasks ({@code arn:aws:states:::http:invoke}) are called right here by the worker's own
 *       {@link HttpTaskResource}, so the request, result and errors are those of an execution's HTTP Task;
 *   <li>functions (a function ARN, or {@code arn:aws:states:::lambda:invoke}) run on the workers that
 *       serve them: the task goes to the tasks topic like an execution's, with a reply address and a
 *       deadline ({@link Workers}), and the worker's report comes back to the caller instead of to an
 *       execution; a function nobody serves fails as it fails an execution's task
 *       ({@code Lambda.ResourceNotFoundException});
 *   <li>a request-response nested execution ({@code arn:aws:states:::states:startExecution}) is started
 *       through the API's StartExecution ({@link Executions}), and the result is StartExecution's response.
 * </ul>
 *
 * <p>Any other resource is refused with what an execution's task of it fails with: Stepstream runs
 * no other AWS service. An invocation is given up after the task's {@code TimeoutSeconds}, or after
 * {@link #LIMIT} like AWS's TestState, whichever is shorter, and then answers a time-out.
 * Thread-safe; {@link #invoke} blocks its caller for the length of the call.
 */
public final class TestStateInvoker implements TaskInvoker {

  /** AWS's TestState runs for at most five minutes. */
  public static final Duration LIMIT = Duration.ofMinutes(5);

  private static final String MOCK_INSTEAD = ": give the state a mock (mock.result or mock.errorOutput) instead";

  /**
   * How TestState reaches the workers: sends a task to the tasks topic, as an execution's task is
   * sent there, with the caller's reply address.
   */
  @FunctionalInterface
  public interface Workers {
    /**
     * Sends a task with a reply address (the task carries its deadline) and waits for the worker's
     * report, without blocking.
     *
     * @param task the task, keyed by its execution ARN
     * @param wait how long to wait for the report
     * @return completes with the worker's reply ({@code CommandReply.task_report}), or exceptionally
     *     with a {@link TimeoutException} when none came within {@code wait}
     */
    CompletableFuture<CommandReply> dispatch(DispatchTask task, Duration wait);
  }

  /** How TestState starts an execution: the API's own StartExecution (versions, aliases, quotas, checks). */
  @FunctionalInterface
  public interface Executions {
    /**
     * Starts an execution, without blocking.
     *
     * @param stateMachineArn as the task names it: a state machine, one of its versions or aliases
     * @param name the execution's name, or null for a generated one
     * @param input the execution's input (JSON text)
     * @return completes with the started execution, or exceptionally with {@link StartRefused}
     */
    CompletableFuture<Started> start(String stateMachineArn, String name, String input);
  }

  /** An execution started: StartExecution's response. */
  public record Started(String executionArn, long startDateMs) {}

  /** StartExecution refused a start, with the API's error code and message. */
  public static final class StartRefused extends RuntimeException {
    private final String errorCode;

    public StartRefused(String errorCode, String message) {
      super(message, null, false, false);
      this.errorCode = errorCode;
    }

    /** The API's error code ({@code StateMachineDoesNotExist}, {@code ExecutionAlreadyExists}, ...). */
    public String errorCode() {
      return errorCode;
    }
  }

  private final HttpTaskResource http;
  /** Null when functions are refused. */
  private final Workers workers;
  /** Null when nested executions are refused. */
  private final Executions executions;
  private final Clock clock;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  /** An invoker of HTTP Tasks only, with {@code http}. */
  public TestStateInvoker(HttpClient http) {
    this(http, null, null, Clock.systemUTC());
  }

  /**
   * An invoker of HTTP Tasks, functions and request-response nested executions.
   *
   * @param http the HTTP Tasks' client
   * @param workers reaches the workers that serve functions; null to refuse functions
   * @param executions starts executions; null to refuse nested executions
   * @param clock sets the deadline of the tasks sent to workers
   */
  public TestStateInvoker(HttpClient http, Workers workers, Executions executions, Clock clock) {
    this.http = new HttpTaskResource(http);
    this.workers = workers;
    this.executions = executions;
    this.clock = clock;
  }

  /** An invoker of HTTP Tasks only, with an HTTP client configured as the workers' ({@link HttpTaskResource#client}). */
  public static TestStateInvoker create() {
    return new TestStateInvoker(HttpTaskResource.client().build());
  }

  /**
   * An invoker of HTTP Tasks (with an HTTP client configured as the workers'), functions and
   * request-response nested executions.
   */
  public static TestStateInvoker create(Workers workers, Executions executions, Clock clock) {
    return new TestStateInvoker(HttpTaskResource.client().build(), workers, executions, clock);
  }

  @Override
  public String refusal(String resource) {
    String base = TaskResourceArn.base(resource);
    if (base.equals(HttpTaskResource.RESOURCE)) {
      return null;
    }
    if (FunctionResource.handles(base)) {
      return workers != null ? null : "Stepstream's TestState does not reach the workers that serve functions here, "
          + "so it does not invoke '" + resource + "'" + MOCK_INSTEAD;
    }
    if (base.equals(NestedExecutionResource.RESOURCE)) {
      return executions != null ? null : "Stepstream's TestState does not start executions here, so it does not "
          + "run '" + resource + "'" + MOCK_INSTEAD;
    }
    Outcome.Failed failed = Resources.unrunnable(resource);
    return failed.cause() + " (an execution's task of it fails with " + failed.error() + ")" + MOCK_INSTEAD;
  }

  @Override
  public Result invoke(DispatchTask task) {
    String base = TaskResourceArn.base(task.getResource());
    Duration limit = task.getTimeoutSeconds() > 0 && task.getTimeoutSeconds() < LIMIT.toSeconds()
        ? Duration.ofSeconds(task.getTimeoutSeconds()) : LIMIT;
    try {
      if (FunctionResource.handles(base)) {
        return function(task, limit);
      }
      if (base.equals(NestedExecutionResource.RESOURCE)) {
        return startExecution(task, limit);
      }
      return http(task, limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.failed("States.Runtime", "TestState was interrupted while the task ran", null, null);
    }
  }

  /** A function's task, run by a worker that serves the function; its report comes back here. */
  private Result function(DispatchTask task, Duration limit) throws InterruptedException {
    DispatchTask sent = task.toBuilder().setDeadlineMs(clock.millis() + limit.toMillis()).build();
    CommandReply reply;
    try {
      reply = workers.dispatch(sent, limit).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        return Result.timedOut(null);
      }
      throw new IllegalStateException("The task could not be sent to the workers", e.getCause());
    }
    return switch (reply.getTaskReportCase()) {
      case TASK_SUCCEEDED -> Result.succeeded(reply.getTaskSucceeded().getOutput(), null, null);
      case TASK_FAILED -> Result.failed(reply.getTaskFailed().getError(), reply.getTaskFailed().getCause(), null, null);
      case TASKREPORT_NOT_SET -> throw new IllegalStateException("A worker's reply without a report: " + reply);
    };
  }

  /** A request-response nested execution: started through the API's StartExecution. */
  private Result startExecution(DispatchTask task, Duration limit) throws InterruptedException {
    JsonNode parameters = Json.parse(task.getInput());
    String name = parameters.path("Name").isTextual() ? parameters.get("Name").asText() : null;
    Outcome outcome;
    try {
      Started started = executions.start(parameters.path("StateMachineArn").asText(""), name,
          NestedExecutionResource.input(parameters)).get(limit.toMillis(), TimeUnit.MILLISECONDS);
      outcome = NestedExecutionResource.started(started.executionArn(), started.startDateMs());
    } catch (TimeoutException e) {
      return Result.timedOut(null);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof StartRefused refused)) {
        throw new IllegalStateException("The execution could not be started", e.getCause());
      }
      outcome = NestedExecutionResource.refused(refused.errorCode(), refused.getMessage());
    }
    return result(outcome, null, null);
  }

  /** An HTTP Task, called here. */
  private Result http(DispatchTask task, Duration limit) throws InterruptedException {
    JsonNode parameters = Json.parse(task.getInput());
    Future<HttpTaskResource.Exchange> call = calls.submit(() -> http.call(parameters, task.getTraceparent()));
    HttpTaskResource.Exchange exchange;
    try {
      exchange = call.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      return Result.timedOut(null);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      // As a worker reports a resource's unexpected failure (a method or header the HTTP client refuses).
      TaskFailure failure = TaskFailure.of(e.getCause());
      return Result.failed(failure.error(), failure.cause(), null, null);
    }
    ObjectNode request = exchange.request() == null ? null : request(exchange);
    ObjectNode response = exchange.response() == null ? null : response(exchange);
    return result(exchange.outcome(), request, response);
  }

  /** A resource's outcome as TestState's result; an HTTP Task and a request-response start always report. */
  private static Result result(Outcome outcome, ObjectNode request, ObjectNode response) {
    return switch (outcome) {
      case Outcome.Succeeded succeeded -> Result.succeeded(succeeded.output(), request, response);
      case Outcome.Failed failed -> Result.failed(failed.error(), failed.cause(), request, response);
      case Outcome.Silent silent -> throw new IllegalStateException("a resource TestState invokes always reports");
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
