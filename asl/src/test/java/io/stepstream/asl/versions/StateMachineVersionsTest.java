package io.stepstream.asl.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;
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

  /** Version 1 snapshots revision 2, version 2 revision 3; the machine is at revision 4; alias "canary" splits 90/10. */
  private static final StateMachineRecord VERSIONED = MACHINE.toBuilder().setRevision(4).setLastVersion(2)
      .addVersions(StateMachineVersion.newBuilder().setNumber(1).setRevision(2))
      .addVersions(StateMachineVersion.newBuilder().setNumber(2).setRevision(3))
      .addAliases(StateMachineAlias.newBuilder().setName("canary")
          .addRoutes(AliasRoute.newBuilder().setVersion(1).setWeight(90))
          .addRoutes(AliasRoute.newBuilder().setVersion(2).setWeight(10)))
      .build();

  private static final String ARN = MACHINE.getArn();

  private static Optional<StateMachineTarget> resolve(StateMachineRecord machine, String arn, int draw) {
    return StateMachineTarget.resolve(machine, QualifiedArn.parse(arn).orElseThrow(), () -> draw);
  }

  @Test
  void shouldRunTheCurrentRevisionOfAnUnqualifiedArnAndRecordNoVersion() {
    assertThat(resolve(VERSIONED, ARN, 0)).contains(new StateMachineTarget(ARN, 4, "", ""));
  }

  @Test
  void shouldRunTheRevisionAVersionSnapshotsAndRecordTheVersion() {
    assertThat(resolve(VERSIONED, ARN + ":1", 0)).contains(new StateMachineTarget(ARN, 2, ARN + ":1", ""));
    assertThat(resolve(VERSIONED, ARN + ":2", 0)).contains(new StateMachineTarget(ARN, 3, ARN + ":2", ""));
  }

  @Test
  void shouldRouteAnAliasByTheDrawAndRecordTheAliasAndTheVersionItPicked() {
    assertThat(resolve(VERSIONED, ARN + ":canary", 89))
        .contains(new StateMachineTarget(ARN, 2, ARN + ":1", ARN + ":canary"));
    assertThat(resolve(VERSIONED, ARN + ":canary", 90))
        .contains(new StateMachineTarget(ARN, 3, ARN + ":2", ARN + ":canary"));
  }

  @Test
  void shouldDrawOnlyForAnAlias() {
    IntSupplier noDraw = () -> {
      throw new AssertionError("drew for an ARN that is no alias");
    };
    assertThat(StateMachineTarget.resolve(VERSIONED, QualifiedArn.parse(ARN + ":1").orElseThrow(), noDraw)).isPresent();
    assertThat(StateMachineTarget.resolve(VERSIONED, QualifiedArn.parse(ARN).orElseThrow(), noDraw)).isPresent();
  }

  @Test
  void shouldResolveNothingForAnUnknownVersionOrAliasOrADeletedMachine() {
    assertThat(resolve(VERSIONED, ARN + ":3", 0)).isEmpty();
    assertThat(resolve(VERSIONED, ARN + ":prod", 0)).isEmpty();
    assertThat(resolve(VERSIONED.toBuilder().setDeleted(true).build(), ARN + ":1", 0)).isEmpty();
    assertThat(resolve(VERSIONED, ARN + "-other:1", 0)).isEmpty();
  }

  @Test
  void shouldSayWhetherARecordKnowsWhatTheArnNames() {
    assertThat(StateMachineTarget.isKnownBy(VERSIONED, QualifiedArn.parse(ARN + ":2").orElseThrow())).isTrue();
    assertThat(StateMachineTarget.isKnownBy(VERSIONED, QualifiedArn.parse(ARN + ":3").orElseThrow())).isFalse();
    assertThat(StateMachineTarget.isKnownBy(VERSIONED, QualifiedArn.parse(ARN + ":canary").orElseThrow())).isTrue();
    assertThat(StateMachineTarget.isKnownBy(VERSIONED, QualifiedArn.parse(ARN + ":prod").orElseThrow())).isFalse();
    assertThat(StateMachineTarget.isKnownBy(MACHINE, QualifiedArn.parse(ARN).orElseThrow())).isTrue();
  }

  @Test
  void shouldParseQualifiedArnsAndRefuseOtherText() {
    assertThat(QualifiedArn.parse(ARN + ":12")).contains(new QualifiedArn(ARN, "12"));
    assertThat(QualifiedArn.parse(ARN + ":PROD").orElseThrow().isAlias()).isTrue();
    assertThat(QualifiedArn.parse(ARN)).contains(new QualifiedArn(ARN, null));
    assertThat(QualifiedArn.parse(ARN + ":")).isEmpty();
    assertThat(QualifiedArn.parse(ARN + ":1:2")).isEmpty();
    assertThat(QualifiedArn.parse("arn:aws:states:us-east-1:123456789012:activity:a")).isEmpty();
    assertThat(QualifiedArn.parse("")).isEmpty();
    assertThat(QualifiedArn.parse(null)).isEmpty();
  }
}
