package io.stepstream.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for records by key: follows a topic (or some of its partitions) from its end, without a
 * consumer group, and completes the future of whoever waits for a record's key. How a caller learns
 * an outcome another process writes: an execution's completion (StartSyncExecution, a parent waiting
 * for its child), or a command's reply. Waiting costs a map entry, no thread.
 *
 * <p>Register with {@link #await} before causing what you wait for, so a fast answer cannot pass
 * unseen. Waiters of one key share a future: never complete or cancel it; stop waiting with
 * {@link #forget}. Thread-safe.
 *
 * @param <V> the protobuf message of the records' values
 */
public final class RecordWaiters<V> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RecordWaiters.class);

  private final Map<String, CompletableFuture<V>> waiting = new ConcurrentHashMap<>();
  private final Parser<V> parser;
  private final TopicTail tail;

  private RecordWaiters(Properties kafka, String topic, Set<Integer> partitions, Parser<V> parser, String threadName) {
    this.parser = parser;
    this.tail = partitions == null
        ? TopicTail.start(kafka, topic, TopicTail.From.END, threadName, this::complete)
        : TopicTail.start(kafka, topic, partitions, TopicTail.From.END, threadName, this::complete);
  }

  /**
   * Follows every partition of a topic.
   *
   * @param parser reads the records' values
   * @param threadName the name of the reading thread
   */
  public static <V> RecordWaiters<V> onTopic(Properties kafka, String topic, Parser<V> parser, String threadName) {
    return new RecordWaiters<>(kafka, topic, null, parser, threadName);
  }

  /** Follows some partitions of a topic (callers that chose where their answers go). */
  public static <V> RecordWaiters<V> onPartitions(Properties kafka, String topic, Set<Integer> partitions,
      Parser<V> parser, String threadName) {
    return new RecordWaiters<>(kafka, topic, partitions, parser, threadName);
  }

  /**
   * Waits until the reader has found the end of the topic: records written after this returns are
   * seen. A caller that cannot wait for a crashed transactional writer's open transactions to be
   * resolved (up to the transaction timeout) skips this; then it may miss answers written meanwhile.
   *
   * @return false when the timeout passed first
   */
  public boolean awaitStarted(Duration timeout) {
    return tail.awaitCaughtUp(timeout);
  }

  /** A future completed with the next record under {@code key}; shared by every waiter of the key. */
  public CompletableFuture<V> await(String key) {
    return waiting.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  /** Stops waiting for a key. */
  public void forget(String key) {
    waiting.remove(key);
  }

  private void complete(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    CompletableFuture<V> future = waiting.remove(record.key());
    if (future != null) {
      try {
        future.complete(parser.parseFrom(record.value()));
      } catch (InvalidProtocolBufferException e) {
        LOG.error("Unreadable record for {} on {}", record.key(), record.topic(), e);
        future.completeExceptionally(e);
      }
    }
  }

  @Override
  public void close() {
    tail.close();
  }
}
