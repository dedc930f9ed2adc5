package io.stepstream.gateway.statemachine;

import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

/**
 * Publishing a version, and AWS's quotas on versions and aliases: the write side of versions, with
 * its API errors. What exists and what an ARN runs is {@link io.stepstream.asl.versions}'s, shared
 * with the worker.
 */
final class VersionPublishing {

  /** AWS's quota of versions per state machine. */
  static final int MAX_VERSIONS = 1000;
  /** AWS's quota of aliases per state machine. */
  static final int MAX_ALIASES = 100;

  private VersionPublishing() {}

  /**
   * Publishes the machine's current revision as a new version numbered after every version ever
   * published. The caller has checked that no version of this revision exists.
   *
   * @return the record with the version added; the version is its last one
   * @throws ApiException {@code ServiceQuotaExceededException} when {@value #MAX_VERSIONS} versions exist
   */
  static StateMachineRecord publish(StateMachineRecord machine, String description, long nowMs) {
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
}
