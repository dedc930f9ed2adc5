package io.stepstream.asl.retry;

import io.stepstream.asl.definition.Retrier;
import java.util.SplittableRandom;

/** The back-off before a retry, as Step Functions computes it. */
public final class RetryDelay {

  private RetryDelay() {}

  /**
   * The delay in milliseconds before retry number {@code attempt} (1 for the first retry):
   * {@code IntervalSeconds * BackoffRate^(attempt-1)}, capped by MaxDelaySeconds; with
   * JitterStrategy FULL a uniformly random delay in [0, that], drawn from {@code seed} so the same
   * execution and attempt always wait the same.
   */
  public static long millis(Retrier retrier, int attempt, long seed) {
    double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attempt - 1);
    if (retrier.maxDelaySeconds() > 0) {
      seconds = Math.min(seconds, retrier.maxDelaySeconds());
    }
    long millis = (long) Math.min(seconds * 1000.0, (double) Long.MAX_VALUE / 4);
    if (retrier.fullJitter()) {
      millis = new SplittableRandom(seed).nextLong(millis + 1);
    }
    return millis;
  }
}
