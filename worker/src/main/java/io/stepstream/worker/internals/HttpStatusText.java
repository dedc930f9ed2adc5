package io.stepstream.worker.internals;

import java.util.Map;

/** Reason phrases of HTTP status codes (Java's HTTP client does not expose the server's). */
public final class HttpStatusText {

  private static final Map<Integer, String> TEXTS = Map.ofEntries(
      Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"),
      Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(304, "Not Modified"),
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"),
      Map.entry(410, "Gone"), Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Entity"),
      Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(501, "Not Implemented"),
      Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));

  private HttpStatusText() {}

  /** The reason phrase of a status code, or {@code ""} when unknown. */
  public static String of(int status) {
    return TEXTS.getOrDefault(status, "");
  }
}
