package io.stepstream.gateway.activity;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.proto.DispatchTask;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity tasks this gateway holds, and the polls waiting for them here.
 *
 * <p>The worker service writes activity tasks to the activity-tasks topic keyed by activity ARN, so
 * all tasks of one activity are in one partition. The gateways read the topic as one consumer group:
 * each holds the partitions the group assigned it, in memory per activity, and is the only gateway
 * that hands their tasks out. {@link #poll} serves an activity only while its partition is held here;
 * for any other it fails with {@code ServiceUnavailable}, and {@link ActivityPolls} sends such polls
 * to the gateway that holds the partition.
 *
 * <p>Each task goes to exactly one poller. Handing a task out and recording it happen under one
 * lock. A partition's commit says what was handed out ({@link HandoutTracker}: the first task not
 * handed out yet, and the ones after it that were), so a gateway that dies holding tasks leaves them
 * to the next holder (commit after hand-out), and the next holder passes over what was handed out.
 * When a partition leaves this gateway (a rebalance), under the same lock its tasks are dropped, its
 * waiting polls are released with {@code ServiceUnavailable} (their gateway asks the new holder), and
 * its final commit is taken; that commit is written before the partition is given to another
 * gateway. Commits are also written every 100 ms without waiting, so what may be handed out twice is
 * what a gateway handed out in its last 100 ms before it crashed or was cut off from the group (its
 * partitions lost rather than revoked).
 *
 * <p>A poll completes a future; no thread waits. Futures complete on the common pool, never under the
 * queue's lock. Thread-safe.
 */
public final class ActivityTaskQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityTaskQueue.class);

  private record Held(DispatchTask task, TopicPartition partition, long offset) {}

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final Object lock = new Object();
  private final Map<String, Deque<Held>> tasks = new HashMap<>();
  private final Map<String, Deque<CompletableFuture<Optional<DispatchTask>>>> pollers = new HashMap<>();
  /** What was read and handed out, per partition held; guarded by {@link #lock}. */
  private final Map<TopicPartition, HandoutTracker> open = new HashMap<>();
  /** The partitions assigned to this gateway; guarded by {@link #lock}. */
  private final Set<Integer> held = new HashSet<>();
  /** The topic's partition count, refreshed at every assignment; guarded by {@link #lock}. */
  private int partitionCount;
  private final Thread reader;
  private volatile boolean running = true;

  /**
   * Joins the group and starts reading.
   *
   * @param kafka client properties with at least {@code bootstrap.servers}
   * @param topic the activity-tasks topic
   * @param groupId the gateways' consumer group
   * @param clientId this gateway's member name in the group: {@link ActivityTaskHolders#clientId} of
   *     its internal address, so that other gateways find where to send polls
   */
  public ActivityTaskQueue(Properties kafka, String topic, String groupId, String clientId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    this.topic = topic;
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.partitionCount = consumer.partitionsFor(topic).size();
    consumer.subscribe(List.of(topic), new Rebalance());
    this.reader = Thread.ofPlatform().name("activity-tasks-reader").daemon().start(this::readLoop);
  }

  /**
   * The partition holding an activity's tasks: the producer's default partitioner over the ARN.
   *
   * @return the partition, or -1 while the topic's partition count is unknown
   */
  public int partition(String activityArn) {
    synchronized (lock) {
      return partitionLocked(activityArn);
    }
  }

  private int partitionLocked(String activityArn) {
    if (partitionCount <= 0) {
      return -1;
    }
    return Utils.toPositive(Utils.murmur2(activityArn.getBytes(StandardCharsets.UTF_8))) % partitionCount;
  }

  /** Whether this gateway holds the activity's tasks now. */
  public boolean holds(String activityArn) {
    synchronized (lock) {
      return held.contains(partitionLocked(activityArn));
    }
  }

  /**
   * The next task of an activity held here: at once if one is waiting, else when one arrives within
   * {@code wait}, else empty.
   *
   * @return the task or empty; fails with {@code ServiceUnavailable} when this gateway does not hold
   *     the activity's tasks, or stops holding them during the wait
   */
  public CompletableFuture<Optional<DispatchTask>> poll(String activityArn, Duration wait) {
    synchronized (lock) {
      if (!held.contains(partitionLocked(activityArn))) {
        return CompletableFuture.failedFuture(notHeld(activityArn));
      }
      Held task = pollFirst(tasks.get(activityArn));
      if (task != null) {
        handedOut(task);
        return CompletableFuture.completedFuture(Optional.of(task.task()));
      }
      CompletableFuture<Optional<DispatchTask>> poll = new CompletableFuture<>();
      Deque<CompletableFuture<Optional<DispatchTask>>> waiting =
          pollers.computeIfAbsent(activityArn, arn -> new ArrayDeque<>());
      waiting.add(poll);
      poll.whenComplete((found, error) -> {
        synchronized (lock) {
          waiting.remove(poll);
        }
      });
      poll.completeOnTimeout(Optional.empty(), wait.toMillis(), TimeUnit.MILLISECONDS);
      // Polls are completed under the lock (a task arrives, the partition leaves); the caller goes on
      // elsewhere, so that what it does next (a Kafka write) never runs under the lock.
      return poll.thenApplyAsync(Function.identity());
    }
  }

  private static ApiException notHeld(String activityArn) {
    return ApiErrors.unavailable("The tasks of activity " + activityArn + " are not held by this gateway now");
  }

  private static <T> T pollFirst(Deque<T> deque) {
    return deque == null ? null : deque.pollFirst();
  }

  private void offer(Held task) {
    synchronized (lock) {
      Deque<CompletableFuture<Optional<DispatchTask>>> waiting = pollers.get(task.task().getResource());
      CompletableFuture<Optional<DispatchTask>> poll;
      while ((poll = pollFirst(waiting)) != null) {
        if (poll.complete(Optional.of(task.task()))) {
          handedOut(task);
          return;
        }
      }
      tasks.computeIfAbsent(task.task().getResource(), arn -> new ArrayDeque<>()).add(task);
    }
  }

  private void handedOut(Held task) {
    HandoutTracker tracker = open.get(task.partition());
    if (tracker != null) {
      tracker.handedOut(task.offset());
    }
  }

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          synchronized (lock) {
            if (!open.computeIfAbsent(partition, p -> new HandoutTracker(null)).read(record.offset())) {
              continue; // a former holder of the partition handed it out
            }
          }
          try {
            offer(new Held(DispatchTask.parseFrom(record.value()), partition, record.offset()));
          } catch (InvalidProtocolBufferException e) {
            LOG.error("Skipping an unreadable activity task at {}@{}", partition, record.offset(), e);
            synchronized (lock) {
              open.get(partition).handedOut(record.offset());
            }
          }
        }
        commitHandedOut();
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Commits, without waiting, what was handed out since the last commit. */
  private void commitHandedOut() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    synchronized (lock) {
      open.forEach((partition, tracker) -> {
        OffsetAndMetadata commit = tracker.changed();
        if (commit != null) {
          offsets.put(partition, commit);
        }
      });
    }
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, null);
    }
  }

  /**
   * Stops serving partitions: drops their tasks and releases the polls waiting for them, all under
   * the lock, so nothing of theirs is handed out here afterwards.
   *
   * @return the commits to write for them: what was handed out here
   */
  private Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    List<CompletableFuture<Optional<DispatchTask>>> released = new ArrayList<>();
    synchronized (lock) {
      partitions.forEach(partition -> held.remove(partition.partition()));
      tasks.values().forEach(queue -> queue.removeIf(task -> partitions.contains(task.partition())));
      for (TopicPartition partition : partitions) {
        HandoutTracker tracker = open.remove(partition);
        OffsetAndMetadata commit = tracker == null ? null : tracker.current();
        if (commit != null) {
          offsets.put(partition, commit);
        }
      }
      pollers.forEach((activityArn, waiting) -> {
        if (!held.contains(partitionLocked(activityArn))) {
          released.addAll(waiting);
        }
      });
      released.forEach(poll -> poll.completeExceptionally(
          ApiErrors.unavailable("The tasks of this activity moved to another gateway")));
    }
    return offsets;
  }

  /** Keeps the assignment; tasks of partitions leaving this gateway are left to the next holder. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> offsets = release(partitions);
      if (offsets.isEmpty()) {
        return;
      }
      try {
        consumer.commitSync(offsets);
      } catch (RuntimeException e) {
        LOG.warn("Offsets of revoked activity-task partitions were not committed; their next holder may hand "
            + "out again the tasks handed out here since the last commit", e);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      release(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      int count = consumer.partitionsFor(topic).size();
      // Where the former holders stopped, and what they handed out after that.
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      synchronized (lock) {
        partitionCount = count;
        for (TopicPartition partition : partitions) {
          held.add(partition.partition());
          open.put(partition, new HandoutTracker(committed.get(partition)));
        }
      }
    }
  }

  /** Leaves the group (what was handed out is committed) and releases the polls waiting here. Idempotent. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (lock) {
      held.clear();
      pollers.values().forEach(queue -> List.copyOf(queue).forEach(poll -> poll.completeExceptionally(
          ApiErrors.unavailable("This gateway is stopping"))));
      pollers.clear();
    }
  }
}
