package io.stepstream.projector;

import com.google.protobuf.InvalidProtocolBufferException;
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
    long from = reverse ? 0 : after + 1;
    long to = reverse ? (after == 0 ? Long.MAX_VALUE : after - 1) : Long.MAX_VALUE;
    if (from > to) {
      return page;
    }
    Bytes low = StoreKeys.event(executionArn, from);
    Bytes high = StoreKeys.event(executionArn, to);
    try (KeyValueIterator<Bytes, byte[]> it = reverse ? store.reverseRange(low, high) : store.range(low, high)) {
      while (it.hasNext() && page.size() < limit) {
        page.add(parse(it.next().value));
      }
    }
    return page;
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

  private static HistoryEvent parse(byte[] value) {
    try {
      return HistoryEvent.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a history store value is not a HistoryEvent", e);
    }
  }
}
