package io.stepstream.gateway.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.StateMachineRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateMachineRegistry} on the compacted {@code state-machines} topic: key = ARN (UTF-8),
 * value = a serialized {@link StateMachineRecord}.
 *
 * <p>Writes are acknowledged produces (acks=all, idempotent). One reader thread consumes the whole
 * topic from the beginning, without a consumer group, into an in-memory map; a write's future
 * completes once the reader has applied it, so the writer reads its own write. Every instance
 * sees every other instance's writes the same way.
 *
 * <p>{@link #open} returns once the view has caught up with the topic as it was at start.
 */
public final class KafkaStateMachineRegistry implements StateMachineRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaStateMachineRegistry.class);

  /** Separates the ARN and the revision in the key of a revision record ("arn#3"). */
  public static final char REVISION_SEPARATOR = '#';

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConcurrentSkipListMap<String, StateMachineRecord> view = new ConcurrentSkipListMap<>();
  /** Every revision record by its key ("arn#3"), for DescribeStateMachineForExecution. */
  private final Map<String, StateMachineRecord> revisions = new java.util.concurrent.ConcurrentHashMap<>();
  private final Object lock = new Object();
  /** Next offset to apply per partition; guarded by {@link #lock}. */
  private final Map<Integer, Long> positions = new HashMap<>();
  /** Writes acknowledged by the broker but not yet applied; guarded by {@link #lock}. */
  private final List<PendingWrite> pending = new ArrayList<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread reader;
  private volatile boolean running = true;

  private record PendingWrite(int partition, long offset, CompletableFuture<Void> future) {
  }

  private KafkaStateMachineRegistry(String topic, Properties clientProperties) {
    this.topic = topic;
    this.producer = new KafkaProducer<>(producerProperties(clientProperties));
    this.consumer = new KafkaConsumer<>(consumerProperties(clientProperties));
    this.reader = new Thread(this::readLoop, "state-machine-registry-reader");
    this.reader.setDaemon(true);
  }

  /**
   * Connects, reads the topic to its current end, and keeps reading in the background.
   *
   * @param topic the registry topic (it must exist)
   * @param clientProperties Kafka client properties; at least {@code bootstrap.servers}
   * @param timeout how long to wait for the initial catch-up
   * @return the registry, caught up
   * @throws IllegalStateException if the topic is missing or the view does not catch up in time
   */
  public static KafkaStateMachineRegistry open(String topic, Properties clientProperties, Duration timeout) {
    KafkaStateMachineRegistry registry = new KafkaStateMachineRegistry(topic, clientProperties);
    try {
      registry.start(timeout);
      return registry;
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private void start(Duration timeout) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
    if (partitions == null || partitions.isEmpty()) {
      throw new IllegalStateException("Topic " + topic + " does not exist");
    }
    // Fetches the producer's metadata now, so that send() never waits for it on an event loop.
    producer.partitionsFor(topic);
    List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
    reader.start();
    try {
      if (!awaitPositions(ends, timeout)) {
        throw new IllegalStateException("The state machine registry did not catch up with " + topic + " in " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + topic, e);
    }
    caughtUp.countDown();
  }

  private boolean awaitPositions(Map<TopicPartition, Long> ends, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!reached(ends)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !running) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return true;
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (positions.getOrDefault(end.getKey().partition(), 0L) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Returns true once the view holds everything that was on the topic at start. */
  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  @Override
  public Optional<StateMachineRecord> find(String arn) {
    return Optional.ofNullable(view.get(arn));
  }

  @Override
  public Optional<StateMachineRecord> findRevision(String arn, long revision) {
    StateMachineRecord record = revisions.get(arn + REVISION_SEPARATOR + revision);
    return record != null ? Optional.of(record) : StateMachineRegistry.super.findRevision(arn, revision);
  }

  @Override
  public List<StateMachineRecord> all() {
    return new ArrayList<>(view.values());
  }

  @Override
  public CompletableFuture<Void> put(StateMachineRecord record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    // Every revision is also kept under its own key: running executions read the definition they
    // started with, whatever updates follow. Same partition, sent first, so it is never behind.
    if (!record.getDeleted()) {
      producer.send(new ProducerRecord<>(topic,
          (record.getArn() + REVISION_SEPARATOR + record.getRevision()).getBytes(StandardCharsets.UTF_8),
          record.toByteArray()));
    }
    ProducerRecord<byte[], byte[]> message =
        new ProducerRecord<>(topic, record.getArn().getBytes(StandardCharsets.UTF_8), record.toByteArray());
    producer.send(message, (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
        return;
      }
      synchronized (lock) {
        if (positions.getOrDefault(metadata.partition(), 0L) > metadata.offset()) {
          done.complete(null);
        } else {
          pending.add(new PendingWrite(metadata.partition(), metadata.offset(), done));
        }
      }
    });
    return done;
  }

  private void readLoop() {
    try {
      while (running) {
        var records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> record : records) {
          apply(record);
        }
        advance();
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } catch (RuntimeException e) {
      LOG.error("The state machine registry stopped reading {}", topic, e);
    } finally {
      failPending(new IllegalStateException("The state machine registry is closed"));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    String arn = new String(record.key(), StandardCharsets.UTF_8);
    if (arn.indexOf(REVISION_SEPARATOR) >= 0) {
      // An immutable revision record: what DescribeStateMachineForExecution shows of an execution
      // that started before later updates.
      if (record.value() != null) {
        try {
          revisions.put(arn, StateMachineRecord.parseFrom(record.value()));
        } catch (InvalidProtocolBufferException e) {
          LOG.warn("Skipping a revision record that does not parse: {}", arn);
        }
      }
      return;
    }
    if (record.value() == null) {
      view.remove(arn);
      return;
    }
    try {
      view.put(arn, StateMachineRecord.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException e) {
      // A record that does not parse was not written by Stepstream; skipping it keeps every other
      // state machine available.
      LOG.error("Skipping an unreadable state machine record for {} at offset {}", arn, record.offset(), e);
    }
  }

  private void advance() {
    List<CompletableFuture<Void>> done = new ArrayList<>();
    synchronized (lock) {
      for (TopicPartition partition : consumer.assignment()) {
        positions.put(partition.partition(), consumer.position(partition));
      }
      for (Iterator<PendingWrite> it = pending.iterator(); it.hasNext(); ) {
        PendingWrite write = it.next();
        if (positions.getOrDefault(write.partition(), 0L) > write.offset()) {
          done.add(write.future());
          it.remove();
        }
      }
      lock.notifyAll();
    }
    // Completed outside the lock: completion runs the callers' continuations.
    done.forEach(future -> future.complete(null));
  }

  private void failPending(Exception error) {
    List<PendingWrite> failed;
    synchronized (lock) {
      failed = new ArrayList<>(pending);
      pending.clear();
      lock.notifyAll();
    }
    failed.forEach(write -> write.future().completeExceptionally(error));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    if (reader.isAlive()) {
      try {
        reader.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!reader.isAlive()) {
      consumer.close(Duration.ofSeconds(5));
    }
    producer.close(Duration.ofSeconds(5));
  }

  private static Properties producerProperties(Properties base) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stepstream-registry-writer");
    return props;
  }

  private static Properties consumerProperties(Properties base) {
    Properties props = new Properties();
    props.putAll(base);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-registry-reader");
    return props;
  }
}
