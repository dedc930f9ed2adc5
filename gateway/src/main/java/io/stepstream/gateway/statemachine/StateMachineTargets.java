package io.stepstream.gateway.statemachine;

import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.QualifiedArn;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.StateMachineAlias;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.StateMachineVersion;

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
   * Resolves the ARN of a start request.
   *
   * @return the target; fails with {@code StateMachineDoesNotExist} naming the ARN as given when the
   *     state machine, version or alias does not exist
   * @throws ApiException {@code InvalidArn} when the text is no state machine ARN
   */
  public CompletableFuture<Target> forStart(String text) {
    QualifiedArn arn = arns.requireQualified(text);
    return live(arn, () -> ApiErrors.stateMachineDoesNotExist(text)).thenApply(machine -> {
      if (arn.isUnqualified()) {
        return new Target(machine, "", "");
      }
      String aliasArn = "";
      long number;
      if (arn.isAlias()) {
        StateMachineAlias alias = StateMachineVersions.alias(machine, arn.qualifier()).orElseThrow();
        number = StateMachineVersions.route(alias, percentDraws.getAsInt());
        aliasArn = arn.value();
      } else {
        number = arn.versionNumber();
      }
      // An alias routes only to published versions: DeleteStateMachineVersion refuses the others.
      StateMachineVersion version = StateMachineVersions.version(machine, number)
          .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(text));
      StateMachineRecord revision = registry.findRevision(arn.stateMachineArn(), version.getRevision())
          .orElseThrow(() -> ApiErrors.unavailable("The revision of " + text + " is not readable here yet"));
      return new Target(revision, QualifiedArn.version(arn.stateMachineArn(), number), aliasArn);
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

  private CompletableFuture<StateMachineRecord> live(QualifiedArn arn, java.util.function.Supplier<ApiException> absent) {
    Predicate<StateMachineRecord> wanted = wanted(arn);
    return registry.findLatest(arn.stateMachineArn(), wanted)
        .thenApply(found -> found.filter(r -> !r.getDeleted()).filter(wanted).orElseThrow(absent));
  }

  private static Predicate<StateMachineRecord> wanted(QualifiedArn arn) {
    if (arn.isVersion()) {
      return machine -> StateMachineVersions.version(machine, arn.versionNumber()).isPresent();
    }
    if (arn.isAlias()) {
      return machine -> StateMachineVersions.alias(machine, arn.qualifier()).isPresent();
    }
    return machine -> true;
  }
}
