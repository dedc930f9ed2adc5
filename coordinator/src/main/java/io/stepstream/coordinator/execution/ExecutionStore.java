package io.stepstream.coordinator.execution;

import io.stepstream.proto.ExecutionState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The executions of one partition, by execution ARN. The only code that touches the store. */
public final class ExecutionStore {

  /** Store name; its changelog makes executions durable. */
  public static final String NAME = "executions";

  private final KeyValueStore<String, ExecutionState> store;

  public ExecutionStore(KeyValueStore<String, ExecutionState> store) {
    this.store = store;
  }

  /** The execution's state, or the default instance when it does not exist. */
  public ExecutionState get(String executionArn) {
    ExecutionState state = store.get(executionArn);
    return state == null ? ExecutionState.getDefaultInstance() : state;
  }

  public void put(String executionArn, ExecutionState state) {
    store.put(executionArn, state);
  }

  public void delete(String executionArn) {
    store.delete(executionArn);
  }

  /** Up to {@code max} executions, in key order (a partition handed over to the next generation). */
  public List<KeyValue<String, ExecutionState>> first(int max) {
    List<KeyValue<String, ExecutionState>> some = new ArrayList<>();
    try (KeyValueIterator<String, ExecutionState> it = store.all()) {
      while (it.hasNext() && some.size() < max) {
        some.add(it.next());
      }
    }
    return some;
  }
}
