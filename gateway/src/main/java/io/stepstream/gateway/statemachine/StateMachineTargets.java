package io.stepstream.gateway.statemachine;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import io.stepstream.asl.versions.QualifiedArn;
import io.stepstream.asl.versions.StateMachineTarget;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.StateMachineRecord;

/**
 * What a state machine ARN in StartExecution, StartSyncExecution or ListExecutions names: the state
 * machine's current revision (unqualified ARN), one of its versions ({@code :1}), or an alias
 * ({@code :PROD}), which picks one of its versions per execution by a random draw against its
 * weights. A version or alias written a moment ago on another instance is found: a lookup that
 * misses catches the registry up first.
 *
 * <p>Thread-safe; never blocks.
 */
public final class StateMachineTargets {

  /**
   * What an execution runs.
   *
   * @param machine the record of the revision it runs (its ARN is the unqualified state machine ARN)
   * @param versionArn the version it runs, or empty when started by the unqualified ARN
   * @param aliasArn the alias it was started through, or empty
   */
  public record Target(StateMachineRecord machine, String versionArn, String aliasArn) {}

  private final StateMachineRegistry registry;
  private final Arns arns;
  private final IntSupplier percentDraws;

  /**
   * @param percentDraws uniformly random numbers in [0, 100), one per execution started through an alias
   */
  public StateMachineTargets(StateMachineRegistry registry, Arns arns, IntSupplier percentDraws) {
    this.registry = registry;
    this.arns = arns;
    this.percentDraws = percentDraws;
  }

  /**
   * Resolves the ARN of a start request ({@link StateMachineTarget#resolve}, shared with the
   * worker's nested executions), and reads the record of the revision it runs.
   *
   * @return the target; fails with {@code StateMachineDoesNotExist} naming the ARN as given when the
   *     state machine, version or alias does not exist
   * @throws ApiException {@code InvalidArn} when the text is no state machine ARN
   */
  public CompletableFuture<Target> forStart(String text) {
    QualifiedArn arn = arns.requireQualified(text);
    return registry.findLatest(arn.stateMachineArn(), wanted(arn))
        .thenApply(found -> {
          StateMachineRecord machine = found.orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(text));
          StateMachineTarget target = StateMachineTarget.resolve(machine, arn, percentDraws)
              .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(text));
          if (target.isUnqualified()) {
            return new Target(machine, "", "");
          }
          StateMachineRecord revision = registry.findRevision(target.stateMachineArn(), target.revision())
              .orElseThrow(() -> ApiErrors.unavailable("The revision of " + text + " is not readable here yet"));
          return new Target(revision, target.versionArn(), target.aliasArn());
        });
  }

  /**
   * Checks the ARN of a listing: the state machine exists, and so does the version or alias.
   *
   * @return the state machine's current record; fails with {@code StateMachineDoesNotExist} for a
   *     state machine, {@code ResourceNotFound} for a version or alias, that does not exist
   */
  public CompletableFuture<StateMachineRecord> forListing(String text) {
    QualifiedArn arn = arns.requireQualified(text);
    return registry.findLatest(arn.stateMachineArn(), wanted(arn)).thenApply(found -> {
      StateMachineRecord machine = found.filter(r -> !r.getDeleted())
          .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(arn.stateMachineArn()));
      if (!wanted(arn).test(machine)) {
        throw ApiErrors.referencedResourceNotFound();
      }
      return machine;
    });
  }

  private static Predicate<StateMachineRecord> wanted(QualifiedArn arn) {
    return machine -> StateMachineTarget.isKnownBy(machine, arn);
  }
}
