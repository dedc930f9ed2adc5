package io.stepstream.gateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.StateMachineRecord;

/**
 * A {@link StateMachineRegistry} kept only in memory, for tests and single-process tools.
 * Writes complete at once.
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

  @Override
  public CompletableFuture<Void> put(StateMachineRecord record) {
    if (!record.getDeleted()) {
      revisions.put(Definitions.revisionKey(record.getArn(), record.getRevision()), StateMachineRegistry.revisionOf(record));
    }
    records.put(record.getArn(), record);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    // Nothing runs in the background.
  }
}
