package io.stepstream.loadtest.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsing of the load generator's option values: durations like {@code 30s} and rates like {@code 1000} or {@code max}. */
public final class Arguments {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  private Arguments() {}

  /**
   * A duration: a number with {@code ms}, {@code s}, {@code m} or {@code h} (seconds when bare), or
   * ISO-8601 ({@code PT30S}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Duration duration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("pt")) {
      return Duration.parse(text.trim());
    }
    Matcher matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not a duration (e.g. 30s, 500ms, 2m): " + text);
    }
    double amount = Double.parseDouble(matcher.group(1));
    String unit = matcher.group(2) == null ? "s" : matcher.group(2);
    double millis = switch (unit) {
      case "ms" -> amount;
      case "s" -> amount * 1_000;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /**
   * A target rate in executions per second, or {@link Double#POSITIVE_INFINITY} for {@code max}.
   *
   * @throws IllegalArgumentException unless positive or {@code max}
   */
  static double rate(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("max")) {
      return Double.POSITIVE_INFINITY;
    }
    double rate;
    try {
      rate = Double.parseDouble(value.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate must be a number of executions per second or 'max': " + text, e);
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be positive: " + text);
    }
    return rate;
  }
}
