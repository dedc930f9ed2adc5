package io.stepstream.gateway.statemachine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import org.junit.jupiter.api.Test;

class StateMachineVersionsTest {

  private static final StateMachineRecord MACHINE = StateMachineRecord.newBuilder()
      .setArn("arn:aws:states:us-east-1:123456789012:stateMachine:m").setRevision(1).build();

  @Test
  void shouldRouteEachDrawByTheWeightsSoNinetyTenSendsExactlyNinetyOfAHundredDrawsToTheFirstVersion() {
    StateMachineAlias alias = StateMachineAlias.newBuilder().setName("live")
        .addRoutes(AliasRoute.newBuilder().setVersion(1).setWeight(90))
        .addRoutes(AliasRoute.newBuilder().setVersion(2).setWeight(10)).build();

    Map<Long, Integer> counts = new HashMap<>();
    for (int draw = 0; draw < 100; draw++) {
      counts.merge(StateMachineVersions.route(alias, draw), 1, Integer::sum);
    }

    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(1L, 90, 2L, 10));
  }

  @Test
  void shouldNeverRouteToAVersionOfWeightZero() {
    StateMachineAlias alias = StateMachineAlias.newBuilder().setName("shift")
        .addRoutes(AliasRoute.newBuilder().setVersion(1).setWeight(0))
        .addRoutes(AliasRoute.newBuilder().setVersion(2).setWeight(100)).build();

    for (int draw = 0; draw < 100; draw++) {
      assertThat(StateMachineVersions.route(alias, draw)).isEqualTo(2L);
    }
  }

  @Test
  void shouldNumberANewVersionAfterEveryVersionEverPublishedEvenDeletedOnes() {
    StateMachineRecord one = StateMachineVersions.publish(MACHINE, "first", 1_000);
    StateMachineRecord two = StateMachineVersions.publish(one.toBuilder().setRevision(2).build(), null, 2_000);
    StateMachineRecord twoDeleted = two.toBuilder().removeVersions(1).setRevision(3).build();

    StateMachineRecord three = StateMachineVersions.publish(twoDeleted, null, 3_000);

    assertThat(three.getVersionsList()).extracting(v -> v.getNumber()).containsExactly(1L, 3L);
    assertThat(StateMachineVersions.latest(three).getRevision()).isEqualTo(3);
    assertThat(StateMachineVersions.version(three, 1).orElseThrow().getDescription()).isEqualTo("first");
  }

  @Test
  void shouldRefuseTheVersionAfterTheQuota() {
    StateMachineRecord full = MACHINE;
    for (int i = 0; i < StateMachineVersions.MAX_VERSIONS; i++) {
      full = StateMachineVersions.publish(full.toBuilder().setRevision(i + 1).build(), null, i);
    }
    StateMachineRecord atQuota = full.toBuilder().setRevision(StateMachineVersions.MAX_VERSIONS + 1).build();

    assertThatThrownBy(() -> StateMachineVersions.publish(atQuota, null, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.type()).isEqualTo("ServiceQuotaExceededException");
          assertThat(e.status()).isEqualTo(402);
        });
  }

  @Test
  void shouldNameTheAliasesRoutingToAVersion() {
    StateMachineRecord machine = MACHINE.toBuilder()
        .addAliases(StateMachineAlias.newBuilder().setName("a").addRoutes(AliasRoute.newBuilder().setVersion(1).setWeight(100)))
        .addAliases(StateMachineAlias.newBuilder().setName("b").addRoutes(AliasRoute.newBuilder().setVersion(2).setWeight(50))
            .addRoutes(AliasRoute.newBuilder().setVersion(1).setWeight(50)))
        .addAliases(StateMachineAlias.newBuilder().setName("c").addRoutes(AliasRoute.newBuilder().setVersion(2).setWeight(100)))
        .build();

    assertThat(StateMachineVersions.aliasesRoutingTo(machine, 1)).containsExactly("a", "b");
    assertThat(StateMachineVersions.aliasesRoutingTo(machine, 3)).isEmpty();
  }
}
