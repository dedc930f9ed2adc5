package io.stepstream.gateway.activity;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.kafka.OffsetTracker;
import io.stepstream.proto.DispatchTask;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Activity tasks waiting for GetActivityTask: this gateway's share of the activity-tasks topic
 * (a consumer group of gateways; the worker service writes the topic, keyed by activity ARN), held
 * in memory per activity, and the long polls waiting for them. A poll completes a future; no
 * thread waits. An offset is committed once its task was handed to a poller, so a gateway that dies
 * holding tasks leaves them to another. Tasks are handed out by the gateway that reads their
 * partition: with several gateways, an activity worker may need to poll more than one. Thread-safe.
 */
public final class ActivityTaskQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityTaskQueue.class);

  private record Held(DispatchTask task, TopicPartition partition, long offset) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final Object lock = new Object();
  private final Map<String, Deque<Held>> tasks = new HashMap<>();
  private final Map<String, Deque<CompletableFuture<Optional<DispatchTask>>>> pollers = new HashMap<>();
  /** Offsets read and not handed out, per partition; guarded by {@link #lock}. */
  private final Map<TopicPartition, OffsetTracker> open = new HashMap<>();
  private final Thread reader;
  private volatile boolean running = true;

  /**
   * Joins the group and starts reading.
   *
   * @param kafka client properties with at least {@code bootstrap.servers}
   * @param topic the activity-tasks topic
   * @param groupId the gateways' consumer group
   */
  public ActivityTaskQueue(Properties kafka, String topic, String groupId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic), new Rebalance());
    this.reader = Thread.ofPlatform().name("activity-tasks-reader").daemon().start(this::readLoop);
  }

  /**
   * The next task of an activity: at once if one is held, else when one arrives within
   * {@code wait}, else empty.
   */
  public CompletableFuture<Optional<DispatchTask>> poll(String activityArn, Duration wait) {
    synchronized (lock) {
      Held held = pollFirst(tasks.get(activityArn));
      if (held != null) {
        handedOut(held);
        return CompletableFuture.completedFuture(Optional.of(held.task()));
      }
      CompletableFuture<Optional<DispatchTask>> poll = new CompletableFuture<>();
      Deque<CompletableFuture<Optional<DispatchTask>>> waiting =
          pollers.computeIfAbsent(activityArn, arn -> new ArrayDeque<>());
      waiting.add(poll);
      poll.whenComplete((task, error) -> {
        synchronized (lock) {
          waiting.remove(poll);
        }
      });
      poll.completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS);
      return poll;
    }
  }

  private static <T> T pollFirst(Deque<T> deque) {
    return deque == null ? null : deque.pollFirst();
  }

  private void offer(Held held) {
    synchronized (lock) {
      Deque<CompletableFuture<Optional<DispatchTask>>> waiting = pollers.get(held.task().getResource());
      CompletableFuture<Optional<DispatchTask>> poll;
      while ((poll = pollFirst(waiting)) != null) {
        if (poll.complete(Optional.of(held.task()))) {
          handedOut(held);
          return;
        }
      }
      tasks.computeIfAbsent(held.task().getResource(), arn -> new ArrayDeque<>()).add(held);
    }
  }

  private void handedOut(Held held) {
    OffsetTracker offsets = open.get(held.partition());
    if (offsets != null) {
      offsets.finished(held.offset());
    }
  }

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          synchronized (lock) {
            open.computeIfAbsent(partition, p -> new OffsetTracker()).started(record.offset());
          }
          try {
            offer(new Held(DispatchTask.parseFrom(record.value()), partition, record.offset()));
          } catch (InvalidProtocolBufferException e) {
            LOG.error("Skipping an unreadable activity task at {}@{}", partition, record.offset(), e);
            synchronized (lock) {
              open.get(partition).finished(record.offset());
            }
          }
        }
        commit(consumer.assignment(), false);
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void commit(Collection<TopicPartition> partitions, boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    synchronized (lock) {
      for (TopicPartition partition : partitions) {
        OffsetTracker tracker = open.get(partition);
        long offset = tracker == null ? -1 : tracker.committable();
        if (offset >= 0) {
          offsets.put(partition, new OffsetAndMetadata(offset));
        }
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(offsets, null);
    }
  }

  /** Tasks of partitions leaving this gateway are dropped here: the new owner reads them again. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      try {
        commit(partitions, true);
      } catch (RuntimeException e) {
        LOG.warn("Offsets of revoked activity-task partitions were not committed", e);
      }
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // State is created with the first record of a partition.
    }

    private void forget(Collection<TopicPartition> partitions) {
      synchronized (lock) {
        tasks.values().forEach(queue -> queue.removeIf(held -> partitions.contains(held.partition())));
        partitions.forEach(open::remove);
      }
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
    synchronized (lock) {
      pollers.values().forEach(queue -> queue.forEach(poll -> poll.complete(Optional.empty())));
      pollers.clear();
    }
  }
}
