package io.stepstream.worker.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.TaskResourceArn;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.DispatchTask;
import io.stepstream.worker.TaskFailure;
import io.stepstream.worker.TaskHandlers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * Function invocation, in both of AWS's forms: the optimized integration
 * {@code arn:aws:states:::lambda:invoke} ({@code FunctionName} and {@code Payload} parameters; the
 * result wraps the payload as Lambda's Invoke API returns it) and a plain function ARN
 * ({@code arn:aws:lambda:<region>:<account>:function:<name>}; the parameters are the payload and
 * the result is the function's own output).
 *
 * <p>The function is a registered {@link io.stepstream.worker.TaskHandler} or an HTTP endpoint
 * configured for its name. A failing function fails the task with its error name and cause; an
 * unknown one with {@code Lambda.ResourceNotFoundException}, as Lambda answers.
 */
public final class FunctionResource implements TaskResource {

  private static final String OPTIMIZED = "arn:aws:states:::lambda:invoke";

  private final TaskHandlers handlers;
  private final HttpClient http;
  private final String region;
  private final String account;

  public FunctionResource(TaskHandlers handlers, HttpClient http, String region, String account) {
    this.handlers = handlers;
    this.http = http;
    this.region = region;
    this.account = account;
  }

  /** Whether a resource (without its integration pattern suffix) is a function invocation. */
  public static boolean handles(String resource) {
    return resource.equals(OPTIMIZED) || (resource.startsWith("arn:aws:lambda:") && resource.contains(":function:"));
  }

  @Override
  public String concurrencyKey(Invocation invocation, JsonNode parameters) {
    String name = nameOf(invocation, parameters);
    return name == null ? OPTIMIZED : name;
  }

  @Override
  public Outcome run(Invocation invocation, JsonNode parameters) throws InterruptedException {
    boolean optimized = TaskResourceArn.base(invocation.task().getResource()).equals(OPTIMIZED);
    String name = nameOf(invocation, parameters);
    if (name == null) {
      return new Outcome.Failed("Lambda.InvalidParameterValueException",
          "The FunctionName parameter is required (Service: AWSLambda; Status Code: 400)");
    }
    JsonNode payload = optimized ? parameters.path("Payload") : parameters;
    if (payload.isMissingNode()) {
      payload = Json.object();
    }
    String requestId = requestId(invocation.task());
    JsonNode result;
    try {
      if (handlers.hasHandler(name)) {
        result = handlers.invoke(name, payload, invocation);
      } else if (handlers.endpoint(name).isPresent()) {
        result = post(handlers.endpoint(name).get(), payload);
      } else {
        return notFound(invocation.task(), name, region, account);
      }
    } catch (TaskFailure failure) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return new Outcome.Failed(failure.error(), failure.cause());
    }
    if (!optimized) {
      return new Outcome.Succeeded(Json.write(result));
    }
    ObjectNode wrapped = Json.object().put("ExecutedVersion", "$LATEST");
    wrapped.set("Payload", result);
    ObjectNode headers = Json.object().put("Content-Type", "application/json")
        .put("X-Amz-Executed-Version", "$LATEST").put("x-amzn-RequestId", requestId);
    ObjectNode httpMetadata = Json.object();
    httpMetadata.set("HttpHeaders", headers);
    httpMetadata.put("HttpStatusCode", 200);
    wrapped.set("SdkHttpMetadata", httpMetadata);
    wrapped.set("SdkResponseMetadata", Json.object().put("RequestId", requestId));
    wrapped.put("StatusCode", 200);
    return new Outcome.Succeeded(Json.write(wrapped));
  }

  private static String nameOf(Invocation invocation, JsonNode parameters) {
    return functionName(invocation.task().getResource(), parameters);
  }

  /**
   * The name of the function a task invokes: from its function ARN, or from the {@code FunctionName}
   * parameter of {@code lambda:invoke}; null when that parameter is missing or empty.
   *
   * @param resource a Task resource that {@link #handles} names (an integration pattern suffix is allowed)
   * @param parameters the task's effective parameters
   */
  public static String functionName(String resource, JsonNode parameters) {
    String base = TaskResourceArn.base(resource);
    if (!base.equals(OPTIMIZED)) {
      return TaskHandlers.functionName(base);
    }
    JsonNode name = parameters.path("FunctionName");
    return name.isTextual() && !name.asText().isEmpty() ? TaskHandlers.functionName(name.asText()) : null;
  }

  /** How a task of a function that nobody serves fails: as Lambda answers Invoke for a function it does not have. */
  public static Outcome.Failed notFound(DispatchTask task, String name, String region, String account) {
    return new Outcome.Failed("Lambda.ResourceNotFoundException", "Function not found: arn:aws:lambda:" + region
        + ":" + account + ":function:" + name + " (Service: AWSLambda; Status Code: 404; Error Code: "
        + "ResourceNotFoundException; Request ID: " + requestId(task) + ")");
  }

  /** Lambda's request id of an invocation: the same for every delivery of one attempt. */
  private static String requestId(DispatchTask task) {
    return UUID.nameUUIDFromBytes(task.getIdempotencyKey().getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** Invokes a function served over HTTP; a non-2xx answer is an unhandled function error. */
  private JsonNode post(URI endpoint, JsonNode payload) throws InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(15))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(Json.write(payload))).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TaskFailure("Lambda.ServiceException", "The function endpoint " + endpoint + " failed: " + e);
    }
    String body = response.body();
    boolean functionError = response.headers().firstValue("X-Amz-Function-Error").isPresent();
    if (response.statusCode() / 100 != 2 || functionError) {
      String error = "Lambda.Unknown";
      try {
        JsonNode parsed = Json.parse(body);
        if (parsed.path("errorType").isTextual()) {
          error = parsed.get("errorType").asText();
        }
      } catch (Json.InvalidJsonException e) {
        // Not a Lambda-shaped error body: the status stands for the error.
      }
      throw new TaskFailure(error, body);
    }
    if (body.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      return Json.parse(body);
    } catch (Json.InvalidJsonException e) {
      return Json.NODES.textNode(body);
    }
  }
}
