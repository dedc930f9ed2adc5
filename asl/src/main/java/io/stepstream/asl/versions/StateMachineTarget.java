package io.stepstream.asl.versions;

import java.util.Optional;
import java.util.function.IntSupplier;

import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

/**
 * What a state machine ARN, qualified or not, starts an execution on: the one place that decides it,
 * for executions a client starts (the gateway) and for nested ones a Task state starts (the worker).
 *
 * <p>An unqualified ARN runs the state machine's current revision; a version ARN ({@code :3}) runs the
 * revision the version snapshots; an alias ARN ({@code :PROD}) runs one of its versions, picked per
 * execution by a draw against its weights. The execution is named after the unqualified state
 * machine whatever the ARN (AWS's {@code execution:<machine>:<name>}), and records the version (by
 * version or alias) and the alias (by alias) it was started through.
 *
 * <p>Immutable and thread-safe.
 *
 * @param stateMachineArn the unqualified state machine ARN, which the execution's ARN is built from
 * @param revision the revision the execution runs (its definition is the registry's {@code ARN#revision})
 * @param versionArn the version it runs, or empty when started by the unqualified ARN
 * @param aliasArn the alias it was started through, or empty
 */
public record StateMachineTarget(String stateMachineArn, long revision, String versionArn, String aliasArn) {

  /**
   * Resolves an ARN against the state machine's current record.
   *
   * @param machine the state machine's current registry record (the one under its unqualified ARN)
   * @param arn the ARN to start
   * @param percentDraw a number in [0, 100), asked only for an alias: uniformly random for a client's
   *     start, derived from the task for a nested start, so that a task run twice starts the same version
   * @return empty when the state machine is deleted, or its version or alias does not exist
   */
  public static Optional<StateMachineTarget> resolve(StateMachineRecord machine, QualifiedArn arn, IntSupplier percentDraw) {
    if (machine.getDeleted() || !machine.getArn().equals(arn.stateMachineArn())) {
      return Optional.empty();
    }
    if (arn.isUnqualified()) {
      return Optional.of(new StateMachineTarget(arn.stateMachineArn(), machine.getRevision(), "", ""));
    }
    String aliasArn = "";
    long number;
    if (arn.isAlias()) {
      Optional<StateMachineAlias> alias = StateMachineVersions.alias(machine, arn.qualifier());
      if (alias.isEmpty()) {
        return Optional.empty();
      }
      number = StateMachineVersions.route(alias.get(), percentDraw.getAsInt());
      aliasArn = arn.value();
    } else {
      number = arn.versionNumber();
    }
    // An alias routes only to published versions (DeleteStateMachineVersion refuses to delete them),
    // so a missing version here is a version ARN that names none.
    Optional<StateMachineVersion> version = StateMachineVersions.version(machine, number);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new StateMachineTarget(arn.stateMachineArn(), version.get().getRevision(),
        QualifiedArn.version(arn.stateMachineArn(), number), aliasArn));
  }

  /**
   * Whether a record holds what the ARN names (the version or alias; any record for an unqualified
   * ARN): a view whose record does not should read the registry to its end before saying it does not
   * exist, as the version may have been published a moment ago elsewhere.
   */
  public static boolean isKnownBy(StateMachineRecord machine, QualifiedArn arn) {
    if (arn.isVersion()) {
      return StateMachineVersions.version(machine, arn.versionNumber()).isPresent();
    }
    if (arn.isAlias()) {
      return StateMachineVersions.alias(machine, arn.qualifier()).isPresent();
    }
    return true;
  }

  /** True when the execution runs the state machine's current revision, not a version. */
  public boolean isUnqualified() {
    return versionArn.isEmpty();
  }
}
