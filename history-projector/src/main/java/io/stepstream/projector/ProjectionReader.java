package io.stepstream.projector;

import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads over the projector's stores as this instance holds them: the running application's
 * interactive queries, or a {@code TopologyTestDriver}'s stores in tests. Every read is bounded by
 * its limit (per partition for listings).
 */
public final class ProjectionReader {

  private final Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> history;
  private final Supplier<ReadOnlyKeyValueStore<String, ExecutionSummary>> executions;
  private final Supplier<List<ReadOnlyKeyValueStore<Bytes, byte[]>>> listingPartitions;

  /**
   * @param history the history store (all local partitions)
   * @param executions the summaries store (all local partitions)
   * @param listingPartitions the listings store of each local partition, separately: each is sorted
   *     on its own, and the pages are merged here
   */
  public ProjectionReader(Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> history,
      Supplier<ReadOnlyKeyValueStore<String, ExecutionSummary>> executions,
      Supplier<List<ReadOnlyKeyValueStore<Bytes, byte[]>>> listingPartitions) {
    this.history = history;
    this.executions = executions;
    this.listingPartitions = listingPartitions;
  }

  /** The execution's summary, or empty when this instance holds none. */
  public Optional<ExecutionSummary> summary(String executionArn) {
    return Optional.ofNullable(executions.get().get(executionArn));
  }

  /**
   * A page of the execution's AWS-visible events.
   *
   * @param after exclusive cursor: the id of the last event of the previous page, 0 for the first page
   * @param limit at most this many events
   * @param reverse newest first (then {@code after} bounds from above)
   */
  public List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse) {
    List<HistoryEvent> page = new ArrayList<>(Math.min(limit, 1024));
    ReadOnlyKeyValueStore<Bytes, byte[]> store = history.get();
    if (!reverse) {
      // Pages are keyed by their last event: the first page at or after the cursor holds the next event.
      long from = after + 1;
      try (KeyValueIterator<Bytes, byte[]> it = store.range(StoreKeys.event(executionArn, from),
          StoreKeys.event(executionArn, Long.MAX_VALUE))) {
        while (it.hasNext() && page.size() < limit) {
          for (HistoryEvent event : HistoryPages.events(it.next().value)) {
            if (event.getId() >= from && page.size() < limit) {
              page.add(event);
            }
          }
        }
      }
      return page;
    }
    long to = after == 0 ? Long.MAX_VALUE : after - 1;
    if (to < 1) {
      return page;
    }
    if (to < Long.MAX_VALUE) {
      // The page holding the newest event at or before the cursor may end after it.
      try (KeyValueIterator<Bytes, byte[]> it = store.range(StoreKeys.event(executionArn, to + 1),
          StoreKeys.event(executionArn, Long.MAX_VALUE))) {
        if (it.hasNext()) {
          addNewestFirst(page, HistoryPages.events(it.next().value), to, limit);
        }
      }
    }
    try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(StoreKeys.event(executionArn, 0),
        StoreKeys.event(executionArn, to))) {
      while (it.hasNext() && page.size() < limit) {
        addNewestFirst(page, HistoryPages.events(it.next().value), to, limit);
      }
    }
    return page;
  }

  private static void addNewestFirst(List<HistoryEvent> page, List<HistoryEvent> events, long to, int limit) {
    for (int i = events.size() - 1; i >= 0 && page.size() < limit; i--) {
      if (events.get(i).getId() <= to) {
        page.add(events.get(i));
      }
    }
  }

  /**
   * Up to {@code limit} summaries of a state machine's executions held here, newest first (start
   * time descending, then execution ARN), after {@code cursor}.
   *
   * @param status only executions in this status, or null for all
   * @param redriven only executions redriven at least once (true) or never (false), or null for all
   * @param cursor the last execution of the previous page, or null for the first page
   */
  public List<ExecutionSummary> executions(String stateMachineArn, ExecutionStatus status, Boolean redriven,
      ListCursor cursor, int limit) {
    byte statusByte = StoreKeys.status(status);
    Bytes from = cursor == null ? StoreKeys.listingStart(stateMachineArn, statusByte)
        : StoreKeys.successor(StoreKeys.listing(stateMachineArn, statusByte, cursor.startTimeMs(),
            cursor.executionArn()));
    Bytes to = StoreKeys.listingEnd(stateMachineArn, statusByte);
    List<Bytes> keys = new ArrayList<>();
    ReadOnlyKeyValueStore<String, ExecutionSummary> lookup = redriven == null ? null : executions.get();
    for (ReadOnlyKeyValueStore<Bytes, byte[]> partition : listingPartitions.get()) {
      try (KeyValueIterator<Bytes, byte[]> it = partition.range(from, to)) {
        int taken = 0;
        while (it.hasNext() && taken < limit) {
          KeyValue<Bytes, byte[]> next = it.next();
          if (!next.key.equals(to) && (lookup == null || redriven == isRedriven(
              lookup.get(StoreKeys.listedExecution(next.key, stateMachineArn))))) {
            keys.add(next.key);
            taken++;
          }
        }
      }
    }
    keys.sort(Comparator.naturalOrder());
    ReadOnlyKeyValueStore<String, ExecutionSummary> summaries = executions.get();
    List<ExecutionSummary> page = new ArrayList<>();
    for (Bytes key : keys.subList(0, Math.min(limit, keys.size()))) {
      ExecutionSummary summary = summaries.get(StoreKeys.listedExecution(key, stateMachineArn));
      if (summary != null) {
        page.add(summary);
      }
    }
    return page;
  }

  private static boolean isRedriven(ExecutionSummary summary) {
    return summary != null && summary.getRedriveCount() > 0;
  }
}
