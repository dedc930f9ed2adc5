package io.stepstream.worker.internals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP Task, {@code arn:aws:states:::http:invoke}, against any HTTP server: {@code ApiEndpoint},
 * {@code Method}, {@code Headers}, {@code QueryParameters}, {@code RequestBody} and
 * {@code Transform} ({@code RequestBodyEncoding} NONE or URL_ENCODED, {@code RequestEncodingOptions.ArrayFormat}
 * INDICES, REPEAT, COMMAS or BRACKETS). The result is {@code {Headers, ResponseBody, StatusCode, StatusText}};
 * a status outside 2xx fails the task with {@code States.Http.StatusCode.<code>}, a connection
 * failure or the 60 s limit with {@code States.Http.Socket}, as on AWS. {@code Authentication}
 * (EventBridge connections) is not used: put credentials in {@code Headers}.
 */
public final class HttpTaskResource implements TaskResource {

  /** The resource ARN. */
  public static final String RESOURCE = "arn:aws:states:::http:invoke";
  /** AWS ends an HTTP Task that has not answered after 60 seconds. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private final HttpClient http;

  /**
   * The HTTP client settings of tasks that call out (HTTP Tasks, functions behind an HTTP endpoint),
   * wherever they run: a worker, or TestState.
   */
  public static HttpClient.Builder client() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
  }

  public HttpTaskResource(HttpClient http) {
    this.http = http;
  }

  @Override
  public String concurrencyKey(Invocation invocation, JsonNode parameters) {
    return RESOURCE;
  }

  @Override
  public Outcome run(Invocation invocation, JsonNode parameters) throws InterruptedException {
    return call(parameters, invocation.traceparent()).outcome();
  }

  /**
   * One HTTP Task call: what was sent, what came back, and what the task came to. Executions report
   * its outcome; TestState shows the request and response too.
   *
   * @param request the request sent (its headers are those the task set), or null when none could be built
   * @param body the request body sent, as text ({@code ""} when none)
   * @param response the answer, or null when none came (connection failure, time limit, bad URL)
   * @param outcome what the task reports: the result, or its error
   */
  public record Exchange(HttpRequest request, String body, HttpResponse<String> response, Outcome outcome) {}

  /**
   * Calls the endpoint the task's parameters describe; blocks until the answer, the 60 s limit or an
   * interruption. A method or header the HTTP client refuses throws an {@link IllegalArgumentException},
   * which its caller reports as any unexpected failure of a task.
   *
   * @param parameters the task's effective parameters ({@code ApiEndpoint}, {@code Method}, ...)
   * @param traceparent the W3C trace context to send unless the task sets its own; {@code ""} for none
   * @throws InterruptedException when the calling thread is interrupted while waiting
   */
  public Exchange call(JsonNode parameters, String traceparent) throws InterruptedException {
    String endpoint = parameters.path("ApiEndpoint").asText("");
    String method = parameters.path("Method").asText("GET").toUpperCase(Locale.ROOT);
    JsonNode transform = parameters.path("Transform");
    boolean urlEncoded = "URL_ENCODED".equals(transform.path("RequestBodyEncoding").asText("NONE"));
    String arrayFormat = transform.path("RequestEncodingOptions").path("ArrayFormat").asText("INDICES");
    String query = parameters.has("QueryParameters") ? encode(parameters.get("QueryParameters"), arrayFormat) : "";
    URI uri;
    try {
      uri = URI.create(query.isEmpty() ? endpoint : endpoint + (endpoint.contains("?") ? "&" : "?") + query);
    } catch (IllegalArgumentException e) {
      return new Exchange(null, "", null,
          new Outcome.Failed("States.Runtime", "The ApiEndpoint is not a valid URL: " + endpoint));
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(LIMIT);
    String contentType = null;
    for (Map.Entry<String, JsonNode> header : parameters.path("Headers").properties()) {
      request.header(header.getKey(), header.getValue().isTextual() ? header.getValue().asText() : Json.write(header.getValue()));
      if (header.getKey().equalsIgnoreCase("Content-Type")) {
        contentType = header.getValue().asText();
      }
    }
    // A traced execution's HTTP Task carries the task span's context, unless the state sets its own.
    if (!traceparent.isEmpty() && !parameters.path("Headers").has("traceparent")) {
      request.header("traceparent", traceparent);
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    String text = "";
    JsonNode requestBody = parameters.get("RequestBody");
    if (requestBody != null && !requestBody.isNull()) {
      if (urlEncoded) {
        text = encode(requestBody, arrayFormat);
        if (contentType == null) {
          request.header("Content-Type", "application/x-www-form-urlencoded");
        }
      } else {
        text = requestBody.isTextual() ? requestBody.asText() : Json.write(requestBody);
        if (contentType == null) {
          request.header("Content-Type", requestBody.isTextual() ? "text/plain" : "application/json");
        }
      }
      body = HttpRequest.BodyPublishers.ofString(text);
    }
    HttpRequest sent = request.method(method, body).build();
    HttpResponse<String> response;
    try {
      response = http.send(sent, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Exchange(sent, text, null,
          new Outcome.Failed("States.Http.Socket", "The HTTP request to " + endpoint + " failed: " + e.getMessage()));
    }
    ObjectNode result = Json.object();
    ObjectNode headers = result.putObject("Headers");
    response.headers().map().forEach((name, values) -> {
      if (!name.startsWith(":")) {
        ArrayNode list = headers.putArray(name.toLowerCase(Locale.ROOT));
        values.forEach(list::add);
      }
    });
    result.set("ResponseBody", responseBody(response));
    result.put("StatusCode", response.statusCode());
    result.put("StatusText", HttpStatusText.of(response.statusCode()));
    if (response.statusCode() / 100 != 2) {
      return new Exchange(sent, text, response,
          new Outcome.Failed("States.Http.StatusCode." + response.statusCode(), Json.write(result)));
    }
    return new Exchange(sent, text, response, new Outcome.Succeeded(Json.write(result)));
  }

  private static JsonNode responseBody(HttpResponse<String> response) {
    String body = response.body();
    boolean json = response.headers().firstValue("content-type").map(t -> t.toLowerCase(Locale.ROOT).contains("json"))
        .orElse(false);
    if (json && !body.isBlank()) {
      try {
        return Json.parse(body);
      } catch (Json.InvalidJsonException e) {
        // A server that lies about its content type: keep the text.
      }
    }
    return Json.NODES.textNode(body);
  }

  /**
   * Encodes an object as {@code application/x-www-form-urlencoded}; arrays per AWS's ArrayFormat:
   * INDICES {@code a[0]=x&a[1]=y}, REPEAT {@code a=x&a=y}, COMMAS {@code a=x,y}, BRACKETS {@code a[]=x&a[]=y}.
   * Nested objects become {@code a[b]=x}.
   */
  static String encode(JsonNode value, String arrayFormat) {
    if (value.isTextual()) {
      return value.asText();
    }
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      add(pairs, field.getKey(), field.getValue(), arrayFormat);
    }
    return String.join("&", pairs);
  }

  private static void add(List<String> pairs, String key, JsonNode value, String arrayFormat) {
    if (value.isArray()) {
      if ("COMMAS".equals(arrayFormat)) {
        List<String> items = new ArrayList<>();
        value.forEach(item -> items.add(scalar(item)));
        pairs.add(escape(key) + "=" + escape(String.join(",", items)));
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        String name = switch (arrayFormat) {
          case "REPEAT" -> key;
          case "BRACKETS" -> key + "[]";
          default -> key + "[" + i + "]";
        };
        add(pairs, name, value.get(i), arrayFormat);
      }
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        add(pairs, key + "[" + field.getKey() + "]", field.getValue(), arrayFormat);
      }
    } else {
      pairs.add(escape(key) + "=" + escape(scalar(value)));
    }
  }

  private static String scalar(JsonNode value) {
    return value.isTextual() ? value.asText() : Json.write(value);
  }

  private static String escape(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
