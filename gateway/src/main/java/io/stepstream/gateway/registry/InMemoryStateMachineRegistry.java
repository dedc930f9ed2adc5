package io.stepstream.gateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.StateMachineRecord;

/**
 * A {@link StateMachineRegistry} kept only in memory, for tests and single-process tools.
 * Mutations run on the caller's thread, one at a time, and complete at once.
 */
public final class InMemoryStateMachineRegistry implements StateMachineRegistry {

  private final ConcurrentSkipListMap<String, StateMachineRecord> records = new ConcurrentSkipListMap<>();
  private final Map<String, StateMachineRecord> revisions = new ConcurrentHashMap<>();

  @Override
  public Optional<StateMachineRecord> find(String arn) {
    return Optional.ofNullable(records.get(arn));
  }

  @Override
  public Optional<StateMachineRecord> findRevision(String arn, long revision) {
    return Optional.ofNullable(revisions.get(Definitions.revisionKey(arn, revision)));
  }

  @Override
  public List<StateMachineRecord> all() {
    return new ArrayList<>(records.values());
  }

  /** Decides and writes on the caller's thread, one mutation at a time. */
  @Override
  public synchronized <T> CompletableFuture<T> mutate(Supplier<Decision<T>> decide) {
    try {
      Decision<T> decision = decide.get();
      decision.write().ifPresent(this::write);
      return CompletableFuture.completedFuture(decision.answer());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void write(StateMachineRecord record) {
    if (!record.getDeleted()) {
      revisions.put(Definitions.revisionKey(record.getArn(), record.getRevision()), StateMachineRegistry.revisionOf(record));
    }
    records.put(record.getArn(), record);
  }

  @Override
  public void close() {
    // Nothing runs in the background.
  }
}
