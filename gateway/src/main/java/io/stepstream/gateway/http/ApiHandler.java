package io.stepstream.gateway.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.stepstream.gateway.api.RandomIds;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Action;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.console.ConsoleAssets;
import io.stepstream.gateway.throttle.Throttle;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP requests into action calls and their results (or errors) into AWS JSON 1.0
 * responses. Shared by every connection; runs on the event loops and never blocks them.
 */
@ChannelHandler.Sharable
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
  private static final String TARGET_PREFIX = "AWSStepFunctions.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
  private static final byte[] HEALTHY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] STARTING = "{\"status\":\"STARTING\"}".getBytes(StandardCharsets.UTF_8);

  private static final byte[] NOT_FOUND = "Not found".getBytes(StandardCharsets.UTF_8);
  /**
   * The console's pages run only their own scripts and call only their own origin; no other site
   * may frame them (a framed Stop button could be clicked by a page the user did not mean to trust).
   */
  private static final String CONSOLE_POLICY = "default-src 'self'; img-src 'self' data:; "
      + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

  private final Function<String, Action> actions;
  private final BooleanSupplier ready;
  private final MetricsEndpoint metrics;
  private final ConsoleAssets console;

  /**
   * Creates the handler of the public API, which also serves the web console under {@code /console/},
   * without metrics.
   *
   * @param actions the API actions
   * @param ready whether {@code GET /health} answers 200
   */
  public ApiHandler(ActionRegistry actions, BooleanSupplier ready) {
    this(actions, ready, MetricsEndpoint.none());
  }

  /**
   * Creates the handler of the public API: the actions, {@code GET /metrics} and the web console
   * under {@code /console/}.
   *
   * @param metrics where refusals are counted, and what {@code GET /metrics} serves
   */
  public ApiHandler(ActionRegistry actions, BooleanSupplier ready, MetricsEndpoint metrics) {
    this(actions::find, ready, metrics, new ConsoleAssets());
  }

  /**
   * Creates a handler over a table that may change while it serves (the internal listener, to which
   * each role adds its actions as it starts); it serves no console.
   *
   * @param actions the action of a name (without {@code AWSStepFunctions.}), or null for an unknown
   *     operation; called on the event loops, so it must not block
   * @param ready whether {@code GET /health} answers 200
   * @param metrics where refusals are counted, and what {@code GET /metrics} serves
   */
  public ApiHandler(Function<String, Action> actions, BooleanSupplier ready, MetricsEndpoint metrics) {
    this(actions, ready, metrics, null);
  }

  private ApiHandler(Function<String, Action> actions, BooleanSupplier ready, MetricsEndpoint metrics,
      ConsoleAssets console) {
    this.actions = actions;
    this.ready = ready;
    this.metrics = metrics;
    this.console = console;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = request.uri();
    if (request.method().equals(HttpMethod.GET) && path.equals("/health")) {
      boolean up = ready.getAsBoolean();
      send(ctx, keepAlive, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, "application/json",
          up ? HEALTHY : STARTING);
      return;
    }
    if (request.method().equals(HttpMethod.GET) && path.equals("/metrics") && metrics.scrape() != null) {
      // Off the event loop: writing every meter takes milliseconds that requests should not wait for.
      CompletableFuture.supplyAsync(() -> metrics.scrape().get().getBytes(StandardCharsets.UTF_8))
          .whenComplete((text, failure) -> {
            if (failure == null) {
              send(ctx, keepAlive, HttpResponseStatus.OK, MetricsEndpoint.CONTENT_TYPE, text);
            } else {
              LOG.error("Cannot write the metrics", failure);
              send(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, CONTENT_TYPE,
                  error(new ApiException("InternalFailure", "The metrics could not be written", 500)));
            }
          });
      return;
    }
    if (console != null && isRead(request.method()) && path.startsWith("/console")) {
      serveConsole(ctx, keepAlive, request);
      return;
    }
    if (!request.method().equals(HttpMethod.POST) || !(path.equals("/") || path.isEmpty())) {
      send(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, CONTENT_TYPE,
          error(new ApiException("UnknownOperationException", "No such resource: " + request.method() + " " + path, 404)));
      return;
    }
    CompletableFuture<? extends JsonNode> result;
    String target = request.headers().get("X-Amz-Target");
    try {
      Action action = action(target);
      result = action.handle(withTraceHeader(target, body(request.content()), request.headers()));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    // An answer that completes elsewhere (a Kafka producer's I/O thread, a reader's thread) is written
    // on the connection's event loop: those threads then only complete futures, and the JSON of the
    // responses is written by the event loops, side by side, instead of by one I/O thread in turn.
    BiConsumer<JsonNode, Throwable> answer = (response, failure) -> {
      if (failure == null) {
        send(ctx, keepAlive, HttpResponseStatus.OK, CONTENT_TYPE, Json.writeBytes(response));
      } else {
        ApiException error = toApiError(failure);
        if (Throttle.THROTTLING_TYPE.equals(error.type())) {
          Counter.builder("stepstream.api.throttled")
              .description("Requests answered ThrottlingException, by action (AWS's per-API ThrottledEvents)")
              .tag("action", target.substring(TARGET_PREFIX.length())).register(metrics.registry()).increment();
        }
        sendError(ctx, keepAlive, error);
      }
    };
    if (result.isDone()) {
      result.whenComplete(answer);
    } else {
      result.whenCompleteAsync(answer, ctx.executor());
    }
  }

  private static boolean isRead(HttpMethod method) {
    return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
  }

  private void serveConsole(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (path.equals("/console")) {
      FullHttpResponse redirect = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.MOVED_PERMANENTLY);
      redirect.headers().set(HttpHeaderNames.LOCATION, ConsoleAssets.PREFIX).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
      finish(ctx, keepAlive, redirect);
      return;
    }
    var asset = path.startsWith(ConsoleAssets.PREFIX)
        ? console.find(path.substring(ConsoleAssets.PREFIX.length())) : Optional.<ConsoleAssets.Asset>empty();
    if (asset.isEmpty()) {
      FullHttpResponse missing = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
          head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(NOT_FOUND));
      missing.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, NOT_FOUND.length);
      finish(ctx, keepAlive, missing);
      return;
    }
    ConsoleAssets.Asset file = asset.get();
    boolean unchanged = ConsoleAssets.matches(request.headers().get(HttpHeaderNames.IF_NONE_MATCH), file);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
        unchanged || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(file.body()));
    response.headers()
        .set(HttpHeaderNames.ETAG, file.etag())
        .set(HttpHeaderNames.CACHE_CONTROL, file.cacheControl())
        .set("X-Content-Type-Options", "nosniff")
        // A 304 and a HEAD state the length of the body they leave out, which keeps the connection open.
        .setInt(HttpHeaderNames.CONTENT_LENGTH, file.body().length);
    if (!unchanged) {
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
    }
    if (file.contentType().startsWith("text/html")) {
      response.headers().set("Content-Security-Policy", CONSOLE_POLICY);
    }
    finish(ctx, keepAlive, response);
  }

  /**
   * A start request without a {@code traceHeader} member runs in the trace its HTTP request came in:
   * the W3C {@code traceparent} header, else AWS's {@code X-Amzn-Trace-Id} (which the AWS SDKs send
   * from inside a traced Lambda function).
   */
  private static ObjectNode withTraceHeader(String target, ObjectNode body, io.netty.handler.codec.http.HttpHeaders headers) {
    if (!(target.endsWith(".StartExecution") || target.endsWith(".StartSyncExecution")) || body.hasNonNull("traceHeader")) {
      return body;
    }
    String header = headers.get("traceparent");
    if (header == null) {
      header = headers.get("X-Amzn-Trace-Id");
    }
    return header == null ? body : body.put("traceHeader", header);
  }

  private Action action(String target) {
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw ApiErrors.unknownOperation(String.valueOf(target));
    }
    Action action = actions.apply(target.substring(TARGET_PREFIX.length()));
    if (action == null) {
      throw ApiErrors.unknownOperation(target);
    }
    return action;
  }

  private static ObjectNode body(ByteBuf content) {
    if (!content.isReadable()) {
      return Json.MAPPER.createObjectNode();
    }
    JsonNode node;
    try (ByteBufInputStream in = new ByteBufInputStream(content.duplicate())) {
      node = Json.MAPPER.readTree((java.io.InputStream) in);
    } catch (JsonProcessingException e) {
      throw ApiErrors.serialization("Malformed JSON request body: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiErrors.serialization("Unreadable request body");
    }
    if (node == null || !node.isObject()) {
      throw ApiErrors.serialization("The request body must be a JSON object");
    }
    return (ObjectNode) node;
  }

  private static ApiException toApiError(Throwable failure) {
    Throwable cause = ApiErrors.cause(failure);
    if (cause instanceof ApiException api) {
      return api;
    }
    LOG.error("Request failed with an unexpected error", cause);
    return new ApiException("InternalFailure", "The request processing has failed because of an unknown error", 500);
  }

  /** Answers a request with an AWS-shaped error: its status, {@code {"__type": ..., "message": ...}}. */
  static void sendError(ChannelHandlerContext ctx, boolean keepAlive, ApiException error) {
    send(ctx, keepAlive, HttpResponseStatus.valueOf(error.status()), CONTENT_TYPE, error(error));
  }

  private static byte[] error(ApiException error) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("__type", error.type());
    if (error.getMessage() != null) {
      body.put("message", error.getMessage());
    }
    return Json.writeBytes(body);
  }


  private static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String contentType,
                           byte[] body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set("x-amzn-RequestId", RandomIds.uuid());
    finish(ctx, keepAlive, response);
  }

  private static void finish(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("Closing a connection after an error", cause);
    ctx.close();
  }
}
