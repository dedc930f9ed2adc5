package io.stepstream.asl.versions;

import java.util.List;
import java.util.Optional;

import io.stepstream.proto.AliasRoute;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

/**
 * The versions and aliases of a state machine, as pure functions over its registry record: what
 * exists, and which version an alias routes one execution to. Shared by the gateway (the API, and
 * executions started by a client) and the worker (nested executions); publishing, with its quotas
 * and API errors, is the gateway's.
 *
 * <p>A version is a number pointing at a revision; its definition and configuration are that
 * revision's record ({@code ARN#revision}), which the registry keeps for as long as the topic does,
 * so an execution started on a version runs it whatever updates follow.
 */
public final class StateMachineVersions {

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

  /** The last version of a record: the one publishing added last. */
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
