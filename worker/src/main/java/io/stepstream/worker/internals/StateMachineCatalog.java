package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.kafka.TopicTail;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only copy of the state-machine registry (the compacted {@code state-machines} topic, read
 * whole, without a consumer group): nested executions need the child's type and current revision.
 * Revision records ({@code arn#n}) are skipped. Thread-safe.
 */
public final class StateMachineCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateMachineCatalog.class);

  private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
  private final TopicTail tail;

  public StateMachineCatalog(Properties kafka, String topic) {
    this.tail = TopicTail.start(kafka, topic, TopicTail.From.BEGINNING, "worker-state-machines-reader", this::apply);
  }

  /**
   * The latest record of a state machine, waiting up to {@code patience} for one written a moment
   * ago to arrive.
   */
  public Optional<StateMachineRecord> find(String arn, Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    StateMachineRecord record = machines.get(arn);
    while (record == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
      record = machines.get(arn);
    }
    return Optional.ofNullable(record);
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null || record.key().indexOf('#') >= 0) {
      return; // revision records are for the coordinator
    }
    if (record.value() == null) {
      machines.remove(record.key());
      return;
    }
    try {
      machines.put(record.key(), StateMachineRecord.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException e) {
      LOG.error("Skipping an unreadable state machine record for {}", record.key(), e);
    }
  }

  @Override
  public void close() {
    tail.close();
  }
}
