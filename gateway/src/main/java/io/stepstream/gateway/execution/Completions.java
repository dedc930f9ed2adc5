package io.stepstream.gateway.execution;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.ReportCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * Waits for executions to finish: reads the completions topic from its end (every partition, no
 * consumer group, so every gateway instance sees every completion) and completes the futures of the
 * executions this instance waits for. Register before the start command is sent, so a fast
 * execution cannot finish unseen.
 */
public final class Completions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Completions.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, CompletableFuture<ReportCompletion>> waiting = new ConcurrentHashMap<>();
  private final Thread reader;
  private final CountDownLatch positioned = new CountDownLatch(1);
  private volatile boolean running = true;

  public Completions(Properties kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // STANDARD completions are written in transactions: only committed ones count.
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    this.consumer = new KafkaConsumer<>(props);
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    this.reader = Thread.ofPlatform().name("completions-reader").daemon().start(this::readLoop);
    try {
      positioned.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A future completed when the execution finishes; cancel or time it out to stop waiting. */
  public CompletableFuture<ReportCompletion> await(String executionArn) {
    CompletableFuture<ReportCompletion> future = new CompletableFuture<>();
    waiting.put(executionArn, future);
    future.whenComplete((value, error) -> waiting.remove(executionArn, future));
    return future;
  }

  private void readLoop() {
    try {
      consumer.assignment().forEach(consumer::position);
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          CompletableFuture<ReportCompletion> future = waiting.get(record.key());
          if (future != null) {
            try {
              future.complete(ReportCompletion.parseFrom(record.value()));
            } catch (InvalidProtocolBufferException e) {
              LOG.error("Unreadable completion for {}", record.key(), e);
            }
          }
        }
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close();
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
  }
}
