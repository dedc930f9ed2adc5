package io.stepstream.gateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

import io.stepstream.proto.StateMachineRecord;

/**
 * A {@link StateMachineRegistry} kept only in memory, for tests and single-process tools.
 * Writes complete at once.
 */
public final class InMemoryStateMachineRegistry implements StateMachineRegistry {

  private final ConcurrentSkipListMap<String, StateMachineRecord> records = new ConcurrentSkipListMap<>();

  @Override
  public Optional<StateMachineRecord> find(String arn) {
    return Optional.ofNullable(records.get(arn));
  }

  @Override
  public List<StateMachineRecord> all() {
    return new ArrayList<>(records.values());
  }

  @Override
  public CompletableFuture<Void> put(StateMachineRecord record) {
    records.put(record.getArn(), record);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    // Nothing runs in the background.
  }
}
