package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.StateMachineRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read-only copy of the state-machine registry (the compacted {@code state-machines} topic, read
 * whole, without a consumer group): nested executions need the child's type and current revision.
 * Revision records ({@code arn#n}) are skipped. Thread-safe.
 */
public final class StateMachineCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StateMachineCatalog.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, StateMachineRecord> machines = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean running = true;

  public StateMachineCatalog(Properties kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.reader = Thread.ofPlatform().name("worker-state-machines-reader").daemon().start(this::readLoop);
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

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null || record.key().indexOf('#') >= 0) {
            continue;
          }
          if (record.value() == null) {
            machines.remove(record.key());
            continue;
          }
          try {
            machines.put(record.key(), StateMachineRecord.parseFrom(record.value()));
          } catch (InvalidProtocolBufferException e) {
            LOG.error("Skipping an unreadable state machine record for {}", record.key(), e);
          }
        }
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
