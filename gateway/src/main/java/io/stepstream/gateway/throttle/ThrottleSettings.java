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
 * @param stateTransitions states entered by STANDARD executions (AWS's {@code StateTransition} quota),
 *     which the coordinators enforce by delaying transitions, not by refusing anything
 * @param gateways how many instances share the quotas (the gateways the start quotas, the coordinators
 *     the transition quota), at least 1
 * @param maxPendingWrites how many writes (StartExecution, StopExecution, task results, ...) may
 *     await their owner's answer at once on this gateway; beyond it a write is refused at once
 */
public record ThrottleSettings(boolean enabled, Quota startExecution, Quota expressStartExecution,
                               Quota startSyncExecution, Quota stateTransitions, int gateways,
                               int maxPendingWrites) {

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
    Objects.requireNonNull(stateTransitions, "stateTransitions");
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
   * default here is the EXPRESS start quota. StateTransition of STANDARD executions: 5,000 burst and
   * 1,500 a second in those three regions, 800 and 500 elsewhere.
   */
  public static ThrottleSettings awsDefaults(String region) {
    boolean large = LARGE_REGIONS.contains(region);
    Quota standard = large ? new Quota(1_300, 300) : new Quota(800, 150);
    Quota transitions = large ? new Quota(5_000, 1_500) : new Quota(800, 500);
    return new ThrottleSettings(true, standard, new Quota(6_000, 6_000), new Quota(6_000, 6_000), transitions, 1,
        DEFAULT_MAX_PENDING_WRITES);
  }

  /** No quotas, the default bound on pending writes: what a gateway built without settings enforces. */
  public static ThrottleSettings off() {
    ThrottleSettings defaults = awsDefaults("us-east-1");
    return new ThrottleSettings(false, defaults.startExecution(), defaults.expressStartExecution(),
        defaults.startSyncExecution(), defaults.stateTransitions(), 1, DEFAULT_MAX_PENDING_WRITES);
  }
}
