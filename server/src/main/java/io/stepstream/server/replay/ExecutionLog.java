package io.stepstream.server.replay;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.StateMachineRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads what a replay needs from Kafka: an execution's event batches from an events topic, and the
 * state-machine registry. Reads committed records only (the coordinator writes transactionally) and
 * stops at the end offsets it saw when it began, so it ends on a live cluster too.
 */
public final class ExecutionLog {

  private static final Duration POLL = Duration.ofMillis(200);

  private final Properties kafka;
  private final Duration timeout;

  /**
   * @param kafka client properties (at least bootstrap.servers)
   * @param timeout how long to wait for the cluster before giving up
   */
  public ExecutionLog(Properties kafka, Duration timeout) {
    this.kafka = kafka;
    this.timeout = timeout;
  }

  /**
   * The batches of one execution, in log order. Only the partition that holds the execution's key
   * is read (the default partitioner, which the coordinator's sink uses).
   */
  public List<HistoryEventBatch> batches(String eventsTopic, String executionArn) {
    byte[] key = executionArn.getBytes(StandardCharsets.UTF_8);
    List<HistoryEventBatch> batches = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<PartitionInfo> partitions = consumer.partitionsFor(eventsTopic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("no topic " + eventsTopic);
      }
      int partition = Utils.toPositive(Utils.murmur2(key)) % partitions.size();
      readAll(consumer, List.of(new TopicPartition(eventsTopic, partition)), (k, value) -> {
        if (java.util.Arrays.equals(k, key)) {
          batches.add(parse(() -> HistoryEventBatch.parseFrom(value)));
        }
      });
    }
    return batches;
  }

  /** The registry as it is now: the latest record under every key (ARNs and "ARN#revision" keys). */
  public Map<String, StateMachineRecord> registry(String stateMachinesTopic) {
    Map<String, StateMachineRecord> records = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<PartitionInfo> partitions = consumer.partitionsFor(stateMachinesTopic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException("no topic " + stateMachinesTopic);
      }
      readAll(consumer, partitions.stream().map(p -> new TopicPartition(stateMachinesTopic, p.partition())).toList(),
          (k, value) -> {
            String name = new String(k, StandardCharsets.UTF_8);
            if (value == null) {
              records.remove(name);
            } else {
              records.put(name, parse(() -> StateMachineRecord.parseFrom(value)));
            }
          });
    }
    return records;
  }

  private void readAll(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
      BiConsumer<byte[], byte[]> sink) {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out reading " + partitions);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.key() != null && record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
          sink.accept(record.key(), record.value());
        }
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private interface Parse<T> {
    T parse() throws InvalidProtocolBufferException;
  }

  private static <T> T parse(Parse<T> parse) {
    try {
      return parse.parse();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable record: " + e.getMessage(), e);
    }
  }
}
