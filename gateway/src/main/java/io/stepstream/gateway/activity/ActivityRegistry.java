package io.stepstream.gateway.activity;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.ActivityRecord;
import io.stepstream.kafka.TopicTail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activities of this installation: the compacted {@code activities} topic (key activity ARN,
 * value {@link ActivityRecord}, tombstone on delete), read whole into memory by a background thread.
 * A write is applied to this instance's view once Kafka acknowledged it (read-your-writes); other
 * instances see it when their reader gets there. Reads never block. Thread-safe.
 */
public final class ActivityRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityRegistry.class);

  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private final ConcurrentSkipListMap<String, ActivityRecord> view = new ConcurrentSkipListMap<>();
  private final TopicTail tail;

  /**
   * Connects and reads the topic to its end before returning.
   *
   * @param kafka client properties with at least {@code bootstrap.servers}
   * @param topic the activities topic (it must exist)
   */
  public ActivityRegistry(Properties kafka, String topic) {
    this.topic = topic;
    Properties producerProps = new Properties();
    producerProps.putAll(kafka);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer());
    producer.partitionsFor(topic);
    this.tail = TopicTail.start(kafka, topic, TopicTail.From.BEGINNING, "activity-registry-reader", this::apply);
    if (!tail.awaitCaughtUp(Duration.ofSeconds(30))) {
      throw new IllegalStateException("could not read the activities topic " + topic + " within 30 s");
    }
  }

  /** The activity with this ARN, if it exists. */
  public Optional<ActivityRecord> find(String arn) {
    return Optional.ofNullable(view.get(arn));
  }

  /** Every activity, by ARN. */
  public List<ActivityRecord> all() {
    return new ArrayList<>(view.values());
  }

  /** Writes an activity; completes once Kafka acknowledged it (on a client thread). */
  public CompletableFuture<Void> put(ActivityRecord record) {
    return send(record.getArn(), record.toByteArray()).thenRun(() -> view.put(record.getArn(), record));
  }

  /** Deletes an activity; completes once Kafka acknowledged it. */
  public CompletableFuture<Void> delete(String arn) {
    return send(arn, null).thenRun(() -> view.remove(arn));
  }

  private CompletableFuture<Void> send(String key, byte[] value) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(null);
      }
    });
    return done;
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      view.remove(record.key());
      return;
    }
    try {
      view.put(record.key(), ActivityRecord.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException e) {
      LOG.error("Skipping an unreadable activity record for {}", record.key(), e);
    }
  }

  @Override
  public void close() {
    tail.close();
    producer.close();
  }
}
