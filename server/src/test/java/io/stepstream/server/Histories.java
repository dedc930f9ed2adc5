package io.stepstream.server;

import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads STANDARD histories straight from the events topic (committed records only), by execution ARN. */
final class Histories {

  private Histories() {}

  static Map<String, List<HistoryEvent>> read(String bootstrapServers) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<HistoryEvent>> histories = new HashMap<>();
    String topic = Topics.defaults().standardEvents();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          histories.computeIfAbsent(record.key(), k -> new ArrayList<>())
              .addAll(HistoryEventBatch.parseFrom(record.value()).getEventsList());
        }
      }
    }
    return histories;
  }

  /** The whole history of a finished execution: waits until its terminal event is committed. */
  static List<HistoryEvent> of(String bootstrapServers, String executionArn) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<HistoryEvent> history = read(bootstrapServers).getOrDefault(executionArn, List.of());
      if (history.stream().anyMatch(Histories::isTerminal) || System.nanoTime() > deadline) {
        return history;
      }
      Thread.sleep(100);
    }
  }

  static boolean isTerminal(HistoryEvent event) {
    return switch (event.getType()) {
      case ExecutionSucceeded, ExecutionFailed, ExecutionAborted, ExecutionTimedOut -> true;
      default -> false;
    };
  }
}
