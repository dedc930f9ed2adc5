package io.stepstream.coordinator.throttle;

import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * AWS's {@code StateTransition} quota of STANDARD workflows: a token bucket of state transitions (states
 * entered), shared by the coordinator instances of an account. AWS delays a transition beyond it
 * rather than failing it; here the coordinator's stream thread waits for the tokens before it hands
 * the command's events on, so the executions slow down to the quota while the commands behind them
 * wait, durable, in their topic. The wait holds that thread's open transaction, so a quota far below
 * what the commands need makes commits late (keep the bucket at least a few hundred).
 *
 * <p>Thread-safe: the stream threads of one instance share the bucket.
 */
public final class TransitionThrottle {

  /** No quota: nothing ever waits. */
  public static final TransitionThrottle NONE = new TransitionThrottle(null);

  private final Bucket bucket;

  private TransitionThrottle(Bucket bucket) {
    this.bucket = bucket;
  }

  /**
   * This instance's share of the account's quota: 1/instances of the burst, the rate spread over
   * {@code instances} seconds (as the gateways share the start quotas).
   *
   * @param burst transitions at once after a quiet time, at least 1
   * @param perSecond transitions a second, sustained, at least 1
   * @param instances how many coordinator instances share the quota, at least 1
   */
  public static TransitionThrottle of(long burst, long perSecond, int instances) {
    if (burst < 1 || perSecond < 1 || instances < 1) {
      throw new IllegalArgumentException("a transition quota needs a burst, a rate and instances of at least 1");
    }
    long capacity = Math.max(1, (burst + instances - 1) / instances);
    Bucket bucket = Bucket.builder().addLimit(limit -> limit.capacity(capacity)
        .refillGreedy(perSecond, Duration.ofSeconds(instances))).build();
    return new TransitionThrottle(bucket);
  }

  /**
   * Takes a token for each of {@code transitions} states entered, waiting for each one the bucket does
   * not hold.
   *
   * @return how many of the transitions had to wait: AWS counts them as throttled
   */
  public int admit(int transitions) {
    if (bucket == null) {
      return 0;
    }
    int waited = 0;
    for (int i = 0; i < transitions; i++) {
      if (!bucket.tryConsume(1)) {
        try {
          bucket.asBlocking().consume(1);
        } catch (InterruptedException e) {
          // Shutting down: the command is processed again after the restart.
          Thread.currentThread().interrupt();
          return waited;
        }
        waited++;
      }
    }
    return waited;
  }
}
