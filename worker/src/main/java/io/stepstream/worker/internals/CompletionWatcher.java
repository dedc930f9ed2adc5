package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.ReportCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * Completions of executions this worker waits for (nested children, and their parents, whose end
 * stops the child): reads the completions topic from its end on every partition, without a
 * consumer group, so every worker instance sees every completion. Waiting costs a map entry, no
 * thread. Register before starting what you wait for. Thread-safe.
 */
public final class CompletionWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionWatcher.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, CompletableFuture<ReportCompletion>> waiting = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean running = true;

  public CompletionWatcher(Properties kafka, String topic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Positioned by the reader, not here: under read_committed the end is only known once open
    // transactions of a crashed coordinator are resolved, and the worker must not wait for that to start.
    this.reader = Thread.ofPlatform().name("worker-completions-reader").daemon().start(this::readLoop);
  }

  /**
   * A future completed when the execution ends. Waiters of the same execution share it: do not
   * complete or cancel it; stop waiting with {@link #forget}.
   */
  public CompletableFuture<ReportCompletion> await(String executionArn) {
    return waiting.computeIfAbsent(executionArn, arn -> new CompletableFuture<>());
  }

  /** Stops watching an execution. */
  public void forget(String executionArn) {
    waiting.remove(executionArn);
  }

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          CompletableFuture<ReportCompletion> future = waiting.remove(record.key());
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
