package io.stepstream.asl.tracing;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A W3C trace context: the trace and the span a new span is the child of.
 *
 * @param traceId 32 lowercase hex digits, not all zero
 * @param spanId 16 lowercase hex digits, not all zero
 * @param sampled the caller's sampling decision
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
  /** X-Ray: {@code Root=1-<8 hex epoch>-<24 hex>;Parent=<16 hex>;Sampled=<0|1>}, fields in any order. */
  private static final Pattern XRAY_ROOT = Pattern.compile("(?:^|;)\\s*Root=1-([0-9a-f]{8})-([0-9a-f]{24})\\s*(?:;|$)");
  private static final Pattern XRAY_PARENT = Pattern.compile("(?:^|;)\\s*Parent=([0-9a-f]{16})\\s*(?:;|$)");
  private static final Pattern XRAY_SAMPLED = Pattern.compile("(?:^|;)\\s*Sampled=([01?])\\s*(?:;|$)");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);

  /**
   * Reads a W3C {@code traceparent} ({@code 00-<trace>-<span>-<flags>}) or an X-Ray trace header
   * ({@code Root=1-...;Parent=...;Sampled=1}, what AWS's {@code traceHeader} and {@code
   * X-Amzn-Trace-Id} carry; its trace id becomes the W3C one, as the X-Ray propagator maps it).
   *
   * @return the context, or empty for null, blank, malformed or all-zero ids, or an X-Ray header
   *     without a Parent (a root without a span to be the child of)
   */
  public static Optional<TraceContext> parse(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String text = header.trim().toLowerCase(Locale.ROOT);
    Matcher w3c = TRACEPARENT.matcher(text);
    if (w3c.matches()) {
      if (w3c.group(1).equals("ff")) {
        return Optional.empty();
      }
      return valid(w3c.group(2), w3c.group(3), (Integer.parseInt(w3c.group(4), 16) & 1) == 1);
    }
    String original = header.trim();
    Matcher root = XRAY_ROOT.matcher(original);
    Matcher parent = XRAY_PARENT.matcher(original);
    if (root.find() && parent.find()) {
      Matcher sampled = XRAY_SAMPLED.matcher(original);
      return valid(root.group(1) + root.group(2), parent.group(1), !sampled.find() || !sampled.group(1).equals("0"));
    }
    return Optional.empty();
  }

  private static Optional<TraceContext> valid(String traceId, String spanId, boolean sampled) {
    if (traceId.equals(ZERO_TRACE) || spanId.equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new TraceContext(traceId, spanId, sampled));
  }

  /** The W3C {@code traceparent} header of this context. */
  public String traceparent() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }
}
