package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.kafka.TopicTail;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only copy of the state-machine registry (the compacted {@code state-machines} topic, read
 * whole, without a consumer group): nested executions need the child's type, its versions and
 * aliases, and the revision a version runs. Revision records ({@code arn#n}) are kept without their
 * definition, which only the coordinator reads: a worker holds their role and type, not every
 * definition ever written. Thread-safe.
 */
public final class StateMachineCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateMachineCatalog.class);

  private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
  private final Map<String, StateMachineRecord> revisions = new ConcurrentHashMap<>();
  private final TopicTail tail;

  public StateMachineCatalog(Properties kafka, String topic) {
    this.tail = TopicTail.start(kafka, topic, TopicTail.From.BEGINNING, "worker-state-machines-reader", this::apply);
  }

  /**
   * The latest record of a state machine, deleted or not. When the copy has none, or one that does
   * not satisfy {@code wanted} (a version published a moment ago elsewhere), it first reads the
   * topic to its end, waiting up to {@code patience} for that.
   *
   * @return the record as the copy holds it after any catch-up, which may still not satisfy {@code wanted}
   */
  public Optional<StateMachineRecord> find(String arn, Predicate<StateMachineRecord> wanted, Duration patience)
      throws InterruptedException {
    StateMachineRecord record = machines.get(arn);
    if (record != null && wanted.test(record)) {
      return Optional.of(record);
    }
    try {
      tail.awaitEnd().get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("The state machine registry was not read to its end within {}; answering from what was read", patience);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The state machine registry could not be read", e.getCause());
    }
    return Optional.ofNullable(machines.get(arn));
  }

  /**
   * One revision of a state machine, without its definition. The registry writes a revision's
   * record before the state machine record that names it, on the same partition, so a revision
   * that a record read here names has been read too.
   */
  public Optional<StateMachineRecord> findRevision(String arn, long revision) {
    return Optional.ofNullable(revisions.get(Definitions.revisionKey(arn, revision)));
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    boolean revision = record.key().indexOf('#') >= 0;
    Map<String, StateMachineRecord> into = revision ? revisions : machines;
    if (record.value() == null) {
      into.remove(record.key());
      return;
    }
    try {
      StateMachineRecord parsed = StateMachineRecord.parseFrom(record.value());
      into.put(record.key(), revision ? parsed.toBuilder().clearDefinition().build() : parsed);
    } catch (InvalidProtocolBufferException e) {
      LOG.error("Skipping an unreadable state machine record for {}", record.key(), e);
    }
  }

  @Override
  public void close() {
    tail.close();
  }
}
