package io.stepstream.loadtest.chaos;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Loss and duplication, per history: the events of each execution as the event log holds them (the
 * source of truth, read {@code read_committed} from the beginning, so only committed transactions
 * count) and as GetExecutionHistory answers them. A history is whole when it has exactly one
 * ExecutionStarted, at most one terminal event, and its event ids are exactly 1..n.
 */
final class HistoryAudit {

  /** The STANDARD events topic with the default prefix. */
  static final String EVENTS_TOPIC = "sfn.standard.events";
  private static final Set<String> TERMINAL = Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted",
      "ExecutionTimedOut");
  private static final Duration READ_LIMIT = Duration.ofMinutes(2);

  /**
   * One execution's history, reduced to what the audit checks.
   *
   * @param types the event types in order
   * @param ids the event ids in order (the log's internal events, id 0, left out)
   * @param timestamps each event's time (epoch milliseconds), as {@code types}
   */
  record History(List<String> types, List<Long> ids, List<Long> timestamps) {

    static final History NONE = new History(List.of(), List.of(), List.of());

    /** The first ExecutionStarted event's time, or 0. */
    long startedAtMs() {
      int first = types.indexOf("ExecutionStarted");
      return first < 0 ? 0 : timestamps.get(first);
    }

    /**
     * The longest time between two events in a row, a Wait state's own wait left out: where the
     * execution stood still. An event carries the time of the command that produced it (stamped by
     * the gateway, the worker or the timer), so a gap is the time between those commands. Null for
     * fewer than two events.
     */
    Stall longestStall() {
      Stall longest = null;
      for (int i = 1; i < types.size(); i++) {
        if (types.get(i - 1).equals("WaitStateEntered") && types.get(i).equals("WaitStateExited")) {
          continue;
        }
        long ms = timestamps.get(i) - timestamps.get(i - 1);
        if (longest == null || ms > longest.ms()) {
          longest = new Stall(types.get(i - 1), types.get(i), timestamps.get(i - 1), ms);
        }
      }
      return longest;
    }

    long count(String type) {
      return types.stream().filter(type::equals).count();
    }

    List<String> terminals() {
      return types.stream().filter(TERMINAL::contains).toList();
    }

    /** What is wrong with the history as a record of one run; empty when it is whole. */
    List<String> defects() {
      List<String> defects = new ArrayList<>();
      if (count("ExecutionStarted") != 1) {
        defects.add(count("ExecutionStarted") + " ExecutionStarted");
      }
      if (terminals().size() > 1) {
        defects.add(terminals().size() + " terminal events " + terminals());
      }
      Set<Long> seen = new HashSet<>();
      List<Long> repeated = ids.stream().filter(id -> !seen.add(id)).distinct().toList();
      if (!repeated.isEmpty()) {
        defects.add("event ids repeated: " + repeated);
      } else {
        for (int i = 0; i < ids.size(); i++) {
          if (ids.get(i) != i + 1) {
            defects.add("event ids are not 1.." + ids.size() + " in order (position " + (i + 1) + " has " + ids.get(i) + ")");
            break;
          }
        }
      }
      return defects;
    }

    @Override
    public String toString() {
      return types.size() + " events " + (types.isEmpty() ? "" : types.getFirst() + ".." + types.getLast());
    }
  }

  /**
   * Where a history stood still longest.
   *
   * @param after the event before the gap
   * @param before the event after it
   * @param fromMs the gap's start (epoch milliseconds)
   * @param ms its length
   */
  record Stall(String after, String before, long fromMs, long ms) {}

  private HistoryAudit() {}

  /** Every execution's history in the events topic, by execution ARN. */
  static Map<String, History> fromLog(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, List<String>> types = new HashMap<>();
    Map<String, List<Long>> ids = new HashMap<>();
    Map<String, List<Long>> timestamps = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(EVENTS_TOPIC).stream()
          .map(p -> new TopicPartition(EVENTS_TOPIC, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the events topic was not read to its end within " + READ_LIMIT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          HistoryEventBatch batch;
          try {
            batch = HistoryEventBatch.parseFrom(record.value());
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an events record that is no HistoryEventBatch at " + record.topic() + "-"
                + record.partition() + "@" + record.offset(), e);
          }
          for (HistoryEvent event : batch.getEventsList()) {
            types.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event.getType().name());
            timestamps.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event.getTimestampMs());
            if (event.getId() > 0) {
              ids.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(event.getId());
            }
          }
        }
      }
    }
    Map<String, History> histories = new HashMap<>();
    types.forEach((arn, list) -> histories.put(arn, new History(list, ids.getOrDefault(arn, List.of()),
        timestamps.get(arn))));
    return histories;
  }

  /** An execution's history as GetExecutionHistory answers it, all pages. */
  static History fromApi(SfnClient sfn, String executionArn) {
    List<String> types = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Long> timestamps = new ArrayList<>();
    sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(1000)).events().forEach(event -> {
      types.add(event.typeAsString());
      ids.add(event.id());
      timestamps.add(event.timestamp() == null ? 0 : event.timestamp().toEpochMilli());
    });
    return new History(types, ids, timestamps);
  }
}
