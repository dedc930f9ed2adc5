package io.stepstream.gateway.registry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.stepstream.proto.StateMachineRecord;

/**
 * The state machines known to this installation: a view of the latest {@link StateMachineRecord}
 * per ARN, and the one way to change it.
 *
 * <p>Reads are served from memory and never block, so actions may call them on an event loop.
 * Writes are read-decide-write {@linkplain #mutate mutations}, exact across every instance.
 * Records are never removed: a deleted state machine is a record with {@code deleted} set.
 * Implementations are thread-safe.
 */
public interface StateMachineRegistry extends AutoCloseable {

  /**
   * Returns the latest record of a state machine, deleted or not.
   *
   * @param arn the state machine ARN
   * @return the record, or empty if none was ever written
   */
  Optional<StateMachineRecord> find(String arn);

  /** Returns the latest record of a state machine unless it was deleted. */
  default Optional<StateMachineRecord> findLive(String arn) {
    return find(arn).filter(record -> !record.getDeleted());
  }

  /**
   * Returns the latest record of a state machine as the registry topic holds it now: on a miss, the
   * view first reads the topic up to its current end, so a state machine another instance created
   * before this call began is found (read your writes across instances). A hit answers at once.
   *
   * @param arn the state machine ARN
   * @return the record, or empty if none was written before the call; completes on an implementation
   *     thread when the view had to catch up
   */
  default CompletableFuture<Optional<StateMachineRecord>> findLatest(String arn) {
    return findLatest(arn, record -> true);
  }

  /**
   * Like {@link #findLatest(String)}, for a lookup that needs more than the record's presence: when
   * the record held here is missing or does not satisfy {@code wanted} (a version or an alias published
   * a moment ago on another instance is not in it yet), the view first reads the topic up to its
   * current end.
   *
   * @param arn the state machine ARN
   * @param wanted what the caller looks for in the record
   * @return the record as the view holds it after any catch-up, which may still not satisfy {@code wanted}
   */
  default CompletableFuture<Optional<StateMachineRecord>> findLatest(String arn, Predicate<StateMachineRecord> wanted) {
    return CompletableFuture.completedFuture(find(arn));
  }

  /**
   * Returns one revision of a state machine as it was written, for executions that run it.
   *
   * @param arn the state machine ARN
   * @param revision the revision number (1 for the definition of CreateStateMachine)
   * @return the record of that revision, or empty if this view does not hold it; by default the
   *     latest record when it has that revision
   */
  default Optional<StateMachineRecord> findRevision(String arn, long revision) {
    return find(arn).filter(record -> record.getRevision() == revision);
  }

  /**
   * The record of a state machine's current revision as the registry keeps it under
   * {@code ARN#revision}: the record without its versions and aliases, which belong to the state
   * machine, not to one revision.
   */
  static StateMachineRecord revisionOf(StateMachineRecord record) {
    return record.toBuilder().clearVersions().clearAliases().clearLastVersion().build();
  }

  /** Returns every record (deleted ones included), ordered by ARN. */
  List<StateMachineRecord> all();

  /**
   * Runs a read-decide-write mutation exactly, across every instance of the cluster: {@code decide}
   * reads this registry (which holds every write committed before it runs, wherever it was made) and
   * returns what to write; no other write, on any instance, comes between that read and this write.
   * When one does (another instance wrote first), {@code decide} runs again on a view holding it, so
   * it may run more than once and must only read.
   *
   * <p>Mutations of one instance run one after another, in the order they were submitted; an
   * implementation that blocks to write runs them on a thread of its own, never the caller's. The future completes once the record is durable and visible to
   * {@link #find} on this instance (read-your-writes); it fails with what {@code decide} threw, or
   * with a retryable {@code ServiceUnavailable} when the registry cannot be written, in which case
   * nothing changed.
   *
   * @param decide reads the registry, returns the record to write (if any) and the answer, or throws
   *     the action's error; must not wait for another mutation
   * @return the decision's answer
   */
  <T> CompletableFuture<T> mutate(Supplier<Decision<T>> decide);

  /**
   * Writes a record, replacing the previous one of the same ARN, whatever it was: a mutation that
   * decides nothing (tools and tests that seed the registry).
   *
   * @param record the full new state of the state machine
   * @return completed once the record is durable and visible to {@link #find} on this instance
   */
  default CompletableFuture<Void> put(StateMachineRecord record) {
    return mutate(() -> Decision.write(record, null));
  }

  /** Stops background work; the view is unusable afterwards. */
  @Override
  void close();
}
