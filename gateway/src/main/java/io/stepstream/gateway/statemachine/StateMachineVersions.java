package io.stepstream.gateway.statemachine;

import java.util.List;
import java.util.Optional;

import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

/**
 * The versions and aliases of a state machine, as pure functions over its registry record: what
 * exists, what publishing adds, and which version an alias routes one execution to.
 *
 * <p>A version is a number pointing at a revision; its definition and configuration are that
 * revision's record ({@code ARN#revision}), which the registry keeps for as long as the topic does,
 * so an execution started on a version runs it whatever updates follow.
 */
public final class StateMachineVersions {

  /** AWS's quota of versions per state machine. */
  public static final int MAX_VERSIONS = 1000;
  /** AWS's quota of aliases per state machine. */
  public static final int MAX_ALIASES = 100;

  private StateMachineVersions() {}

  /** The version with this number, if published and not deleted. */
  public static Optional<StateMachineVersion> version(StateMachineRecord machine, long number) {
    return machine.getVersionsList().stream().filter(v -> v.getNumber() == number).findFirst();
  }

  /** The version published from the machine's current revision, if any. */
  public static Optional<StateMachineVersion> currentRevisionVersion(StateMachineRecord machine) {
    return machine.getVersionsList().stream().filter(v -> v.getRevision() == machine.getRevision()).findFirst();
  }

  /** The alias with this name, if any. */
  public static Optional<StateMachineAlias> alias(StateMachineRecord machine, String name) {
    return machine.getAliasesList().stream().filter(a -> a.getName().equals(name)).findFirst();
  }

  /** The names of the aliases routing to a version, in the record's order. */
  public static List<String> aliasesRoutingTo(StateMachineRecord machine, long number) {
    return machine.getAliasesList().stream()
        .filter(a -> a.getRoutesList().stream().anyMatch(r -> r.getVersion() == number))
        .map(StateMachineAlias::getName)
        .toList();
  }

  /**
   * Publishes the machine's current revision as a new version numbered after every version ever
   * published. The caller has checked that no version of this revision exists.
   *
   * @return the record with the version added; the version is its last one
   * @throws ApiException {@code ServiceQuotaExceededException} when {@value #MAX_VERSIONS} versions exist
   */
  public static StateMachineRecord publish(StateMachineRecord machine, String description, long nowMs) {
    if (machine.getVersionsCount() >= MAX_VERSIONS) {
      throw new ApiException("ServiceQuotaExceededException", "Failed to publish a version of "
          + machine.getArn() + ": a state machine may have at most " + MAX_VERSIONS + " versions. "
          + "Delete unused versions with DeleteStateMachineVersion.", 402);
    }
    long number = machine.getLastVersion() + 1;
    return machine.toBuilder()
        .setLastVersion(number)
        .addVersions(StateMachineVersion.newBuilder().setNumber(number).setRevision(machine.getRevision())
            .setDescription(description == null ? "" : description).setCreationDateMs(nowMs))
        .build();
  }

  /** The last version of a record, the one {@link #publish} added. */
  public static StateMachineVersion latest(StateMachineRecord machine) {
    return machine.getVersions(machine.getVersionsCount() - 1);
  }

  /**
   * The version an alias starts one execution on, as AWS does: a uniform random draw against the
   * weights, so a 90/10 alias sends about nine executions in ten to its first version.
   *
   * @param draw a uniformly random number in [0, 100)
   * @return the version number
   */
  public static long route(StateMachineAlias alias, int draw) {
    if (draw < 0 || draw >= 100) {
      throw new IllegalArgumentException("draw out of [0, 100): " + draw);
    }
    int bound = 0;
    for (AliasRoute route : alias.getRoutesList()) {
      bound += route.getWeight();
      if (draw < bound) {
        return route.getVersion();
      }
    }
    // The weights sum to 100 (checked when the alias was written), so the loop returned.
    throw new IllegalStateException("alias " + alias.getName() + " has weights summing to " + bound);
  }
}
