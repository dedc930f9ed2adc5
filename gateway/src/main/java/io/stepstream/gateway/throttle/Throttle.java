package io.stepstream.gateway.throttle;

import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.WorkflowType;
import java.time.Duration;

/**
 * The gateway's admission control: the account's start quotas as token buckets (Bucket4j), and the
 * bound on pending writes. A refused request gets AWS's {@code ThrottlingException} (HTTP 400, "Rate
 * exceeded"), which every AWS SDK and the CLI retry with back-off, writes nothing, and is counted as
 * {@code stepstream_executions_throttled_total} of its state machine (AWS's ExecutionThrottled); the
 * HTTP layer counts it by action too ({@code stepstream_api_throttled_total}).
 *
 * <p>Thread-safe and non-blocking: called on the event loops.
 */
public final class Throttle {

  /** What AWS's JSON services send as {@code __type} of a throttled request; the SDKs read the part after '#'. */
  public static final String THROTTLING_TYPE = "com.amazon.coral.availability#ThrottlingException";
  /** The reason tag of a refusal by a token bucket. */
  public static final String RATE = "rate";
  /** The reason tag of a refusal by the bound on pending writes. */
  public static final String PENDING_WRITES = "pending_writes";

  private final ThrottleSettings settings;
  private final Bucket standardStarts;
  private final Bucket expressStarts;
  private final Bucket syncStarts;
  private final PendingWrites pending;
  private final MeterRegistry meters;

  /**
   * @param settings the quotas and the bound
   * @param meters where refusals are counted and the pending writes published
   */
  public Throttle(ThrottleSettings settings, MeterRegistry meters) {
    this.settings = settings;
    this.meters = meters;
    this.standardStarts = bucket(settings.startExecution(), settings.gateways());
    this.expressStarts = bucket(settings.expressStartExecution(), settings.gateways());
    this.syncStarts = bucket(settings.startSyncExecution(), settings.gateways());
    this.pending = new PendingWrites(settings.maxPendingWrites());
    Gauge.builder("stepstream.gateway.pending.writes", pending, PendingWrites::pending)
        .description("Writes this gateway sent that await their owner's answer").register(meters);
    Gauge.builder("stepstream.gateway.pending.writes.limit", pending, PendingWrites::limit)
        .description("The bound on pending writes; beyond it writes are answered ThrottlingException").register(meters);
  }

  /**
   * This gateway's share of a quota: 1/gateways of the burst, and the rate spread over gateways
   * seconds (300 a second shared by 7 gateways is 300 every 7 seconds each, exactly).
   */
  private static Bucket bucket(Quota quota, int gateways) {
    long capacity = Math.max(1, (quota.burst() + gateways - 1) / gateways);
    return Bucket.builder().addLimit(limit -> limit.capacity(capacity)
        .refillGreedy(quota.perSecond(), Duration.ofSeconds(gateways))).build();
  }

  /**
   * Admits a StartExecution of a state machine of the given type, or throws {@code ThrottlingException}.
   */
  public void admitStart(WorkflowType type, String stateMachineArn) {
    admit(type == WorkflowType.EXPRESS ? expressStarts : standardStarts, stateMachineArn);
  }

  /** Admits a StartSyncExecution, or throws {@code ThrottlingException}. */
  public void admitSyncStart(String stateMachineArn) {
    admit(syncStarts, stateMachineArn);
  }

  private void admit(Bucket bucket, String stateMachineArn) {
    if (settings.enabled() && !bucket.tryConsume(1)) {
      throw throttled(stateMachineArn, RATE);
    }
  }

  /** The bound on writes awaiting their owner. */
  public PendingWrites pendingWrites() {
    return pending;
  }

  /**
   * Counts an execution start that a later step refused for load (the bound on pending writes), when
   * {@code failure} is that refusal.
   */
  public void countIfShed(Throwable failure, String stateMachineArn) {
    Throwable cause = ApiErrors.cause(failure);
    if (cause instanceof ApiException api && THROTTLING_TYPE.equals(api.type())) {
      count(stateMachineArn, PENDING_WRITES);
    }
  }

  /** The error a refused request gets. */
  public static ApiException throttlingException() {
    return new ApiException(THROTTLING_TYPE, "Rate exceeded");
  }

  /** Counts a refusal and returns the error to answer it with. */
  private ApiException throttled(String stateMachineArn, String reason) {
    count(stateMachineArn, reason);
    return throttlingException();
  }

  private void count(String stateMachineArn, String reason) {
    Counter.builder("stepstream.executions.throttled")
        .description("ExecutionThrottled: execution starts refused with ThrottlingException")
        .tag("state_machine_arn", stateMachineArn).tag("reason", reason).register(meters).increment();
  }
}
