package io.stepstream.gateway.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.kafka.TopicTail;
import io.stepstream.proto.StateMachineRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateMachineRegistry} on the compacted {@code state-machines} topic: key = ARN (UTF-8),
 * value = a serialized {@link StateMachineRecord}.
 *
 * <p>Writes are acknowledged produces (acks=all, idempotent). A {@link TopicTail} reads the whole
 * topic from the beginning, without a consumer group, into an in-memory map; a write's future
 * completes once the tail has applied it, so the writer reads its own write, and a lookup that
 * misses reads the topic up to its current end first ({@link #findLatest}), so a state machine
 * created on another instance before the lookup began is found.
 *
 * <p>{@link #open} returns once the view has caught up with the topic as it was at start.
 */
public final class KafkaStateMachineRegistry implements StateMachineRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaStateMachineRegistry.class);

  /** Separates the ARN and the revision in the key of a revision record ("arn#3"). */
  public static final char REVISION_SEPARATOR = '#';
  /** The longest a lookup that missed waits for the view to reach the topic's end. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ConcurrentSkipListMap<String, StateMachineRecord> view = new ConcurrentSkipListMap<>();
  /** Every revision record by its key ("arn#3"), for DescribeStateMachineForExecution. */
  private final Map<String, StateMachineRecord> revisions = new ConcurrentHashMap<>();
  private TopicTail tail;

  private KafkaStateMachineRegistry(String topic, Properties clientProperties) {
    this.topic = topic;
    this.producer = new KafkaProducer<>(producerProperties(clientProperties));
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
      Properties consumer = new Properties();
      consumer.putAll(clientProperties);
      consumer.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-registry-reader");
      registry.tail = TopicTail.start(consumer, topic, TopicTail.From.BEGINNING, "state-machine-registry-reader",
          registry::apply);
      if (!registry.tail.awaitCaughtUp(timeout)) {
        throw new IllegalStateException("The state machine registry did not catch up with " + topic + " in " + timeout);
      }
      // Fetches the producer's metadata now, so that send() never waits for it on an event loop.
      registry.producer.partitionsFor(topic);
      return registry;
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Returns true once the view holds everything that was on the topic at start. */
  public boolean isCaughtUp() {
    return tail.awaitCaughtUp(Duration.ZERO);
  }

  @Override
  public Optional<StateMachineRecord> find(String arn) {
    return Optional.ofNullable(view.get(arn));
  }

  @Override
  public CompletableFuture<Optional<StateMachineRecord>> findLatest(String arn, Predicate<StateMachineRecord> wanted) {
    Optional<StateMachineRecord> found = find(arn);
    if (found.filter(wanted).isPresent()) {
      return CompletableFuture.completedFuture(found);
    }
    return tail.awaitEnd().orTimeout(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS).thenApply(ignored -> find(arn));
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
    // Versions and aliases belong to the state machine, not to a revision: its revision records leave them out.
    if (!record.getDeleted()) {
      producer.send(new ProducerRecord<>(topic,
          (record.getArn() + REVISION_SEPARATOR + record.getRevision()).getBytes(StandardCharsets.UTF_8),
          StateMachineRegistry.revisionOf(record).toByteArray()));
    }
    ProducerRecord<byte[], byte[]> message =
        new ProducerRecord<>(topic, record.getArn().getBytes(StandardCharsets.UTF_8), record.toByteArray());
    producer.send(message, (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
        return;
      }
      tail.awaitPosition(metadata.partition(), metadata.offset()).whenComplete((ok, failure) -> {
        if (failure != null) {
          done.completeExceptionally(failure);
        } else {
          done.complete(null);
        }
      });
    });
    return done;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    String arn = record.key();
    if (arn == null) {
      return;
    }
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

  @Override
  public void close() {
    if (tail != null) {
      tail.close();
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
}
