package io.stepstream.gateway.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.versions.StateMachineVersions;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.StateMachineRecord;
import org.junit.jupiter.api.Test;

class VersionPublishingTest {

  private static final StateMachineRecord MACHINE = StateMachineRecord.newBuilder()
      .setArn("arn:aws:states:us-east-1:123456789012:stateMachine:m").setRevision(1).build();

  @Test
  void shouldNumberANewVersionAfterEveryVersionEverPublishedEvenDeletedOnes() {
    StateMachineRecord one = VersionPublishing.publish(MACHINE, "first", 1_000);
    StateMachineRecord two = VersionPublishing.publish(one.toBuilder().setRevision(2).build(), null, 2_000);
    StateMachineRecord twoDeleted = two.toBuilder().removeVersions(1).setRevision(3).build();

    StateMachineRecord three = VersionPublishing.publish(twoDeleted, null, 3_000);

    assertThat(three.getVersionsList()).extracting(v -> v.getNumber()).containsExactly(1L, 3L);
    assertThat(StateMachineVersions.latest(three).getRevision()).isEqualTo(3);
    assertThat(StateMachineVersions.version(three, 1).orElseThrow().getDescription()).isEqualTo("first");
  }

  @Test
  void shouldRefuseTheVersionAfterTheQuota() {
    StateMachineRecord full = MACHINE;
    for (int i = 0; i < VersionPublishing.MAX_VERSIONS; i++) {
      full = VersionPublishing.publish(full.toBuilder().setRevision(i + 1).build(), null, i);
    }
    StateMachineRecord atQuota = full.toBuilder().setRevision(VersionPublishing.MAX_VERSIONS + 1).build();

    assertThatThrownBy(() -> VersionPublishing.publish(atQuota, null, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo("ServiceQuotaExceededException");
          assertThat(e.status()).isEqualTo(402);
        });
  }
}
