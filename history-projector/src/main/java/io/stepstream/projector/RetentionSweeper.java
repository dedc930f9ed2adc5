package io.stepstream.projector;

import io.stepstream.proto.ExecutionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Drops executions whose retention has passed: scans the expiry keys due before now (oldest first)
 * and deletes each execution's events, listing keys, summary and finally its expiry key, at most
 * {@code budget} deletions per sweep. An execution cut short by the budget keeps its expiry key and
 * is finished by the next sweep; until then it is still readable, never half-listed.
 */
final class RetentionSweeper {

  private final ProjectorStores stores;
  private final int budget;

  RetentionSweeper(ProjectorStores stores, int budget) {
    this.stores = stores;
    this.budget = budget;
  }

  /** One sweep at wall-clock time {@code nowMs}; returns the number of deletions. */
  int sweep(long nowMs) {
    List<Bytes> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = stores.expiry().range(StoreKeys.expiry(0, ""),
        StoreKeys.expiry(nowMs, ""))) {
      while (it.hasNext() && due.size() < budget) {
        due.add(it.next().key);
      }
    }
    int deletions = 0;
    for (Bytes expiryKey : due) {
      String executionArn = StoreKeys.expiringExecution(expiryKey);
      List<Bytes> events = new ArrayList<>();
      try (KeyValueIterator<Bytes, byte[]> it = stores.history().range(StoreKeys.event(executionArn, 0),
          StoreKeys.event(executionArn, Long.MAX_VALUE))) {
        while (it.hasNext() && deletions + events.size() < budget) {
          KeyValue<Bytes, byte[]> next = it.next();
          events.add(next.key);
        }
      }
      for (Bytes key : events) {
        stores.history().delete(key);
      }
      deletions += events.size();
      if (deletions >= budget) {
        return deletions;
      }
      ExecutionSummary summary = stores.executions().get(executionArn);
      if (summary != null) {
        Set<Bytes> listed = ProjectionProcessor.listingKeys(summary);
        for (Bytes key : ProjectionProcessor.everyListingKey(summary)) {
          // A key that was never written needs no tombstone in the changelog.
          if (listed.contains(key) || stores.listings().get(key) != null) {
            stores.listings().delete(key);
          }
        }
        stores.executions().delete(executionArn);
      }
      stores.expiry().delete(expiryKey);
      deletions += 4;
    }
    return deletions;
  }
}
