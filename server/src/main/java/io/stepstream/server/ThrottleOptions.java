package io.stepstream.server;

import io.stepstream.gateway.throttle.Quota;
import io.stepstream.gateway.throttle.ThrottleSettings;
import picocli.CommandLine.Option;

/**
 * The throttling options of {@code dev} and {@code run}: the account's API quotas (AWS's defaults for
 * the region unless given) and the gateway's bound on pending writes.
 */
final class ThrottleOptions {

  @Option(names = "--no-throttling", description = "Turns the account's API quotas off (benchmarks); the bound on "
      + "pending writes stays.")
  boolean off;

  @Option(names = "--start-execution-rate", paramLabel = "<perSecond>", description = "StartExecution of STANDARD "
      + "state machines a second (default: AWS's quota in --region: 300 in us-east-1, us-west-2 and eu-west-1, else 150).")
  Long startRate;

  @Option(names = "--start-execution-burst", paramLabel = "<requests>", description = "Bucket size of StartExecution "
      + "of STANDARD state machines (default: AWS's: 1300 in us-east-1, us-west-2 and eu-west-1, else 800).")
  Long startBurst;

  @Option(names = "--express-start-execution-rate", paramLabel = "<perSecond>",
      description = "StartExecution of EXPRESS state machines a second (default: 6000, AWS's).")
  Long expressRate;

  @Option(names = "--express-start-execution-burst", paramLabel = "<requests>",
      description = "Bucket size of StartExecution of EXPRESS state machines (default: 6000, AWS's).")
  Long expressBurst;

  @Option(names = "--start-sync-execution-rate", paramLabel = "<perSecond>",
      description = "StartSyncExecution a second (default: 6000, AWS's EXPRESS start quota).")
  Long syncRate;

  @Option(names = "--start-sync-execution-burst", paramLabel = "<requests>",
      description = "Bucket size of StartSyncExecution (default: 6000).")
  Long syncBurst;

  @Option(names = "--state-transition-rate", paramLabel = "<perSecond>", description = "States entered by STANDARD "
      + "executions a second; beyond it transitions wait (default: AWS's quota in --region: 1500 in us-east-1, "
      + "us-west-2 and eu-west-1, else 500).")
  Long transitionRate;

  @Option(names = "--state-transition-burst", paramLabel = "<transitions>", description = "Bucket size of states "
      + "entered by STANDARD executions (default: AWS's: 5000 in us-east-1, us-west-2 and eu-west-1, else 800).")
  Long transitionBurst;

  @Option(names = "--gateway-instances", defaultValue = "1", paramLabel = "<n>", description = "How many instances "
      + "share the account's quotas (the gateways the start quotas, the coordinators the state transition quota): "
      + "each enforces 1/n of every rate and burst (default: ${DEFAULT-VALUE}).")
  int gateways;

  @Option(names = "--max-pending-writes", defaultValue = "" + ThrottleSettings.DEFAULT_MAX_PENDING_WRITES,
      paramLabel = "<writes>", description = "Writes a gateway lets await their owner's answer at once; beyond "
      + "that it answers ThrottlingException at once (default: ${DEFAULT-VALUE}).")
  int maxPendingWrites;

  /** The settings these options give in a region. */
  ThrottleSettings settings(String region) {
    ThrottleSettings aws = ThrottleSettings.awsDefaults(region);
    return new ThrottleSettings(!off, quota(aws.startExecution(), startBurst, startRate),
        quota(aws.expressStartExecution(), expressBurst, expressRate),
        quota(aws.startSyncExecution(), syncBurst, syncRate),
        quota(aws.stateTransitions(), transitionBurst, transitionRate), gateways, maxPendingWrites);
  }

  private static Quota quota(Quota aws, Long burst, Long rate) {
    return new Quota(burst == null ? aws.burst() : burst, rate == null ? aws.perSecond() : rate);
  }
}
