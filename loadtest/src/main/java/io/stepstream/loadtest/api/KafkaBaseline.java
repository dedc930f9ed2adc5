package io.stepstream.loadtest.api;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The raw produce rate of the broker under test: one producer with the gateway's settings
 * ({@code acks=all}, idempotent, {@code linger.ms=1}, 64 KiB batches) sends small keyed records as
 * fast as it can to a scratch topic, which is deleted afterwards. Only acknowledged records count.
 */
final class KafkaBaseline {

  /** The measured rate. */
  record Result(long acknowledged, long failed, double seconds) {

    /** Acknowledged records per second. */
    double perSecond() {
      return seconds > 0 ? acknowledged / seconds : 0;
    }
  }

  private KafkaBaseline() {}

  /**
   * Creates a scratch topic with {@code partitions} partitions, produces to it for {@code duration}
   * and deletes it.
   *
   * @param recordBytes size of each record's value
   */
  static Result measure(String bootstrapServers, int partitions, Duration duration, int recordBytes)
      throws InterruptedException {
    String topic = "loadtest.baseline-" + Long.toString(System.currentTimeMillis(), 36);
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminProps)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
      try {
        return produce(bootstrapServers, topic, duration, recordBytes);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("baseline topic " + topic + ": " + e.getCause(), e.getCause());
    }
  }

  /**
   * A producer with the gateway's settings ({@code acks=all}, idempotent, {@code linger.ms=1}, 64 KiB
   * batches), string keys and byte values: what every baseline writes with.
   */
  static Properties producerProperties(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return props;
  }

  /** A record value of {@code bytes} bytes. */
  static byte[] value(int bytes) {
    byte[] value = new byte[bytes];
    java.util.Arrays.fill(value, (byte) 'x');
    return value;
  }

  private static Result produce(String bootstrapServers, String topic, Duration duration, int recordBytes)
      throws InterruptedException {
    Properties props = producerProperties(bootstrapServers, "stepstream-loadtest-baseline");
    byte[] value = value(recordBytes);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      // Warm the connection and metadata up outside the measured time.
      producer.send(new ProducerRecord<>(topic, "warmup", value)).get();
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      long i = 0;
      while (System.nanoTime() - end < 0) {
        // send() blocks when buffer.memory is full: that back-pressure is the broker's pace.
        producer.send(new ProducerRecord<>(topic, "k" + (i++ & 1023), value), (metadata, error) -> {
          if (error == null) {
            acknowledged.incrementAndGet();
          } else {
            failed.incrementAndGet();
            firstError.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (firstError.get() != null) {
        System.err.println("baseline producer error: " + firstError.get());
      }
      return new Result(acknowledged.get(), failed.get(), seconds);
    } catch (ExecutionException e) {
      throw new IllegalStateException("baseline producer cannot write to " + topic + ": " + e.getCause(), e.getCause());
    }
  }
}
