package io.stepstream.asl.definition;

import java.util.List;

/**
 * One rule of a state's {@code Retry} list.
 *
 * @param maxDelaySeconds 0 when not set
 * @param fullJitter JitterStrategy FULL
 */
public record Retrier(
    List<String> errorEquals,
    int intervalSeconds,
    int maxAttempts,
    double backoffRate,
    long maxDelaySeconds,
    boolean fullJitter) {

  public static final int DEFAULT_INTERVAL_SECONDS = 1;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final double DEFAULT_BACKOFF_RATE = 2.0;
}
