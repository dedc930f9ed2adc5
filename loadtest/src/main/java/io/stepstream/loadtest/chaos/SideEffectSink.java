package io.stepstream.loadtest.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outside world the workflow's Tasks act on: an HTTP endpoint on 127.0.0.1 that counts the calls
 * per idempotency key ({@code POST /effect} with {@code {"key": "..."}}, answered 200). A worker
 * runs a task at least once, so a key called twice is a task delivered again after a crash; a key
 * never called is a side effect lost.
 */
final class SideEffectSink implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final AtomicInteger malformed = new AtomicInteger();

  private SideEffectSink(HttpServer server) {
    this.server = server;
  }

  static SideEffectSink start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    SideEffectSink sink = new SideEffectSink(server);
    server.createContext("/effect", sink::handle);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return sink;
  }

  /** The URL the workflow's HTTP Tasks call. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/effect";
  }

  /** Calls per idempotency key so far, sorted by key. */
  Map<String, Integer> calls() {
    Map<String, Integer> copy = new TreeMap<>();
    calls.forEach((key, count) -> copy.put(key, count.get()));
    return copy;
  }

  /** Requests without a key (none are expected). */
  int malformed() {
    return malformed.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (IOException e) {
        request = null;
      }
      String key = request == null ? "" : request.path("key").asText("");
      if (key.isEmpty()) {
        malformed.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, OK.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(OK);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
