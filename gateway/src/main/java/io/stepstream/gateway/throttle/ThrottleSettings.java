package io.stepstream.gateway.throttle;

import java.util.Objects;
import java.util.Set;

/**
 * The account's API quotas that a gateway enforces, and its bound on writes awaiting their owner.
 *
 * <p>Quotas are for the whole account, as on AWS; each of {@code gateways} gateway instances enforces
 * its share (1/{@code gateways} of every burst and rate), so a cluster of that many gateways behind a
 * load balancer that spreads requests evenly admits the account's rate, not N times it.
 *
 * @param enabled whether the quotas apply at all ({@code --no-throttling} turns them off; the bound on
 *     pending writes stays, it protects the process)
 * @param startExecution StartExecution of STANDARD state machines
 * @param expressStartExecution StartExecution of EXPRESS state machines
 * @param startSyncExecution StartSyncExecution
 * @param gateways how many gateway instances share the quotas, at least 1
 * @param maxPendingWrites how many writes (StartExecution, StopExecution, task results, ...) may
 *     await their owner's answer at once on this gateway; beyond it a write is refused at once
 */
public record ThrottleSettings(boolean enabled, Quota startExecution, Quota expressStartExecution,
                               Quota startSyncExecution, int gateways, int maxPendingWrites) {

  /**
   * The default bound on pending writes: a write waits up to 25 s for its owner, and at the default
   * STANDARD start rate (300 a second) 25 s of starts is 7,500 writes.
   */
  public static final int DEFAULT_MAX_PENDING_WRITES = 10_000;

  /** The regions where AWS's quotas are the larger ones (US East (N. Virginia), US West (Oregon), Europe (Ireland)). */
  private static final Set<String> LARGE_REGIONS = Set.of("us-east-1", "us-west-2", "eu-west-1");

  /** Checks the components. */
  public ThrottleSettings {
    Objects.requireNonNull(startExecution, "startExecution");
    Objects.requireNonNull(expressStartExecution, "expressStartExecution");
    Objects.requireNonNull(startSyncExecution, "startSyncExecution");
    if (gateways < 1) {
      throw new IllegalArgumentException("gateways must be at least 1, not " + gateways);
    }
    if (maxPendingWrites < 1) {
      throw new IllegalArgumentException("maxPendingWrites must be at least 1, not " + maxPendingWrites);
    }
  }

  /**
   * AWS's default quotas in a region (Step Functions service quotas): StartExecution of STANDARD state
   * machines 1,300 burst and 300 a second in us-east-1, us-west-2 and eu-west-1, 800 and 150 elsewhere;
   * EXPRESS StartExecution 6,000 and 6,000 everywhere. AWS scales StartSyncExecution on demand; its
   * default here is the EXPRESS start quota.
   */
  public static ThrottleSettings awsDefaults(String region) {
    Quota standard = LARGE_REGIONS.contains(region) ? new Quota(1_300, 300) : new Quota(800, 150);
    return new ThrottleSettings(true, standard, new Quota(6_000, 6_000), new Quota(6_000, 6_000), 1,
        DEFAULT_MAX_PENDING_WRITES);
  }

  /** No quotas, the default bound on pending writes: what a gateway built without settings enforces. */
  public static ThrottleSettings off() {
    ThrottleSettings defaults = awsDefaults("us-east-1");
    return new ThrottleSettings(false, defaults.startExecution(), defaults.expressStartExecution(),
        defaults.startSyncExecution(), 1, DEFAULT_MAX_PENDING_WRITES);
  }
}
