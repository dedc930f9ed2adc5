package io.stepstream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * Follows every partition of a topic, without a consumer group, on a thread of its own, and hands
 * each record to a callback: how a role keeps a local view of a small topic (a registry) or watches a
 * stream for the records it waits for (completions). Every instance sees every record.
 *
 * <p>Records are read with {@code read_committed}: what a transaction wrote counts once it committed.
 * The callback runs on the tail's thread, one record at a time, and must not block.
 */
public final class TopicTail implements AutoCloseable {

  /** Where reading starts. */
  public enum From { BEGINNING, END }

  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final From from;
  private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  /** The tail's position per partition, after the records before it were handed to the callback. */
  private final Map<Integer, Long> positions = new ConcurrentHashMap<>();
  /** Callers waiting for a position; guarded by itself. */
  private final List<PositionWait> waits = new ArrayList<>();
  /** Callers waiting for the topic's current end, served by the reader thread. */
  private final Queue<CompletableFuture<Void>> endWaits = new ConcurrentLinkedQueue<>();
  private final Thread reader;
  private volatile boolean running = true;

  private TopicTail(Properties kafka, String topic, Set<Integer> only, From from, String threadName,
      Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // An idle fetch waits at the broker at most this long; new data answers it at once, so waiters
    // (StartSyncExecution, replies, .sync tasks) see no delay, and an idle tail sends a few requests a
    // second instead of 200 (at 5 ms, every idle process burnt half a core).
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "200");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .filter(p -> only == null || only.contains(p.partition()))
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    this.from = from;
    this.onRecord = onRecord;
    consumer.assign(partitions);
    if (from == From.BEGINNING) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    this.reader = Thread.ofPlatform().name(threadName).daemon().start(this::readLoop);
  }

  /**
   * Starts following a topic, which must exist.
   *
   * @param kafka client properties with at least bootstrap.servers (group settings are ignored)
   * @param onRecord called for every record, on the tail's thread
   */
  public static TopicTail start(Properties kafka, String topic, From from, String threadName,
      Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    return new TopicTail(kafka, topic, null, from, threadName, onRecord);
  }

  /**
   * Starts following some partitions of a topic, which must exist.
   *
   * @param partitions the partitions to follow
   * @param onRecord called for every record, on the tail's thread
   */
  public static TopicTail start(Properties kafka, String topic, Set<Integer> partitions, From from,
      String threadName, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
    return new TopicTail(kafka, topic, Set.copyOf(partitions), from, threadName, onRecord);
  }

  /** The number of partitions of a topic, which must exist. */
  public static int partitionCount(Properties kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      return consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
    }
  }

  /**
   * Waits until the tail has read every record that was in the topic when it started (from the
   * beginning), or has found the topic's end (from the end).
   *
   * @return false when the timeout passed first
   */
  public boolean awaitCaughtUp(Duration timeout) {
    try {
      return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Completes once the tail has read past {@code offset} in {@code partition} (and handed every
   * record up to it to the callback): how a writer learns its own write is in the view.
   */
  public CompletableFuture<Void> awaitPosition(int partition, long offset) {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    synchronized (waits) {
      if (positions.getOrDefault(partition, 0L) > offset) {
        reached.complete(null);
      } else {
        waits.add(new PositionWait(partition, offset, reached));
      }
    }
    return reached;
  }

  /**
   * Completes once the tail has read every record written before this call (the topic's end as
   * {@code read_committed} sees it): a reader that missed something finds out whether it exists.
   * Served within one poll of the reader thread.
   */
  public CompletableFuture<Void> awaitEnd() {
    CompletableFuture<Void> reached = new CompletableFuture<>();
    endWaits.add(reached);
    return reached;
  }

  private record PositionWait(int partition, long offset, CompletableFuture<Void> future) {}

  private void readLoop() {
    try {
      // Positions are resolved here, not in the constructor: under read_committed the end is known
      // only once open transactions are resolved, and a role must not wait for that to start.
      Map<TopicPartition, Long> ends = from == From.BEGINNING ? consumer.endOffsets(partitions) : Map.of();
      partitions.forEach(consumer::position);
      markIfCaughtUp(ends);
      while (running) {
        // A short poll: callers of awaitEnd are served between polls.
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          try {
            onRecord.accept(record);
          } catch (RuntimeException e) {
            LOG.error("Skipping a record of {} at offset {} that could not be handled", record.topic(),
                record.offset(), e);
          }
        }
        markIfCaughtUp(ends);
        serveEndWaits();
        advance();
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close();
      IllegalStateException closed = new IllegalStateException("the tail of " + partitions + " is closed");
      synchronized (waits) {
        waits.forEach(wait -> wait.future().completeExceptionally(closed));
        waits.clear();
      }
      endWaits.forEach(wait -> wait.completeExceptionally(closed));
    }
  }

  private void serveEndWaits() {
    if (endWaits.isEmpty()) {
      return;
    }
    List<CompletableFuture<Void>> callers = new ArrayList<>();
    for (CompletableFuture<Void> caller; (caller = endWaits.poll()) != null; ) {
      callers.add(caller);
    }
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    for (CompletableFuture<Void> caller : callers) {
      CompletableFuture.allOf(ends.entrySet().stream()
              .map(end -> awaitPosition(end.getKey().partition(), end.getValue() - 1))
              .toArray(CompletableFuture[]::new))
          .whenComplete((ok, error) -> {
            if (error != null) {
              caller.completeExceptionally(error);
            } else {
              caller.complete(null);
            }
          });
    }
  }

  /** Publishes the positions and completes the waits they reached (outside the lock). */
  private void advance() {
    for (TopicPartition partition : partitions) {
      positions.put(partition.partition(), consumer.position(partition));
    }
    List<CompletableFuture<Void>> reached = new ArrayList<>();
    synchronized (waits) {
      for (Iterator<PositionWait> it = waits.iterator(); it.hasNext(); ) {
        PositionWait wait = it.next();
        if (positions.getOrDefault(wait.partition(), 0L) > wait.offset()) {
          reached.add(wait.future());
          it.remove();
        }
      }
    }
    reached.forEach(future -> future.complete(null));
  }

  private void markIfCaughtUp(Map<TopicPartition, Long> ends) {
    if (caughtUp.getCount() > 0
        && partitions.stream().allMatch(p -> consumer.position(p) >= ends.getOrDefault(p, 0L))) {
      caughtUp.countDown();
    }
  }

  /** Stops the thread and closes the consumer; never throws. */
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
