package io.stepstream.gateway.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.WorkflowType;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";

  /** Buckets that do not refill within a test: a rate of 1 a second shared by 3600 gateways. */
  static ThrottleSettings settings(long standardBurst, long expressBurst, long syncBurst, int maxPendingWrites) {
    return new ThrottleSettings(true, new Quota(standardBurst * 3600, 1), new Quota(expressBurst * 3600, 1),
        new Quota(syncBurst * 3600, 1), new Quota(3600, 1), 3600, maxPendingWrites);
  }

  @Test
  void shouldAdmitTheBurstThenAnswerThrottlingExceptionAndCountItPerStateMachine() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Throttle throttle = new Throttle(settings(2, 1, 1, 10), meters);

    throttle.admitStart(WorkflowType.STANDARD, MACHINE);
    throttle.admitStart(WorkflowType.STANDARD, MACHINE);

    assertThatThrownBy(() -> throttle.admitStart(WorkflowType.STANDARD, MACHINE))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo("com.amazon.coral.availability#ThrottlingException");
          assertThat(e.getMessage()).isEqualTo("Rate exceeded");
          assertThat(e.status()).isEqualTo(400);
        });
    assertThat(meters.get("stepstream.executions.throttled").tag("state_machine_arn", MACHINE).tag("reason", "rate")
        .counter().count()).isEqualTo(1.0);
  }

  @Test
  void shouldKeepOneBucketPerQuota() {
    Throttle throttle = new Throttle(settings(1, 1, 1, 10), new SimpleMeterRegistry());

    throttle.admitStart(WorkflowType.STANDARD, MACHINE);
    throttle.admitStart(WorkflowType.EXPRESS, MACHINE);
    throttle.admitSyncStart(MACHINE);

    assertThatThrownBy(() -> throttle.admitStart(WorkflowType.EXPRESS, MACHINE)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> throttle.admitSyncStart(MACHINE)).isInstanceOf(ApiException.class);
  }

  @Test
  void shouldAdmitEverythingWhenTurnedOff() {
    ThrottleSettings tiny = settings(1, 1, 1, 10);
    Throttle throttle = new Throttle(new ThrottleSettings(false, tiny.startExecution(), tiny.expressStartExecution(),
        tiny.startSyncExecution(), tiny.stateTransitions(), tiny.gateways(), 10), new SimpleMeterRegistry());

    for (int i = 0; i < 100; i++) {
      throttle.admitStart(WorkflowType.STANDARD, MACHINE);
      throttle.admitSyncStart(MACHINE);
    }
  }

  @Test
  void shouldBoundPendingWritesAndCountAStartShedByTheBound() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Throttle throttle = new Throttle(settings(1, 1, 1, 2), meters);
    PendingWrites pending = throttle.pendingWrites();

    assertThat(pending.tryAcquire()).isTrue();
    assertThat(pending.tryAcquire()).isTrue();
    assertThat(pending.tryAcquire()).isFalse();
    assertThat(meters.get("stepstream.gateway.pending.writes").gauge().value()).isEqualTo(2.0);
    pending.release();
    assertThat(pending.tryAcquire()).isTrue();

    throttle.countIfShed(new CompletionException(Throttle.throttlingException()), MACHINE);
    throttle.countIfShed(new ApiException("ServiceUnavailable", "down", 503), MACHINE);
    assertThat(meters.get("stepstream.executions.throttled").tag("reason", "pending_writes").counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void shouldTakeAwsDefaultQuotasOfTheRegion() {
    assertThat(ThrottleSettings.awsDefaults("us-east-1").startExecution()).isEqualTo(new Quota(1300, 300));
    assertThat(ThrottleSettings.awsDefaults("eu-west-1").startExecution()).isEqualTo(new Quota(1300, 300));
    assertThat(ThrottleSettings.awsDefaults("ap-south-1").startExecution()).isEqualTo(new Quota(800, 150));
    assertThat(ThrottleSettings.awsDefaults("ap-south-1").expressStartExecution()).isEqualTo(new Quota(6000, 6000));
  }
}
