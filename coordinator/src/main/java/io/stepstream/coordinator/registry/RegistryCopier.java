package io.stepstream.coordinator.registry;

import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.StateMachineRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The processor of the registry's global store: copies records into the store as they are, and drops
 * compiled definitions of the state machine. Kafka Streams bypasses this processor when it restores
 * the store (KAFKA-7663), so it must not transform anything; the cache is empty at that point anyway.
 * Used by every application that reads definitions (coordinator, map-run service).
 */
public final class RegistryCopier implements Processor<String, StateMachineRecord, Void, Void> {

  /** The global store of the registry. */
  public static final String STORE = "state-machines";
  private final Definitions definitions;
  private KeyValueStore<String, StateMachineRecord> store;

  public RegistryCopier(Definitions definitions) {
    this.definitions = definitions;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(STORE);
  }

  @Override
  public void process(Record<String, StateMachineRecord> record) {
    definitions.invalidate(record.key());
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
