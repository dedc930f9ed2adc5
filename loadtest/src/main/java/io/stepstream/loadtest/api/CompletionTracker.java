package io.stepstream.loadtest.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ReportCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees STANDARD executions finish: reads the completions topic from its end with a
 * {@code read_committed} consumer (so only completions of committed transactions count) and
 * reports each awaited execution once, with the time its record arrived here.
 *
 * <p>Executions are awaited by name, registered before their StartExecution is sent, so a
 * completion can never arrive unexpected. Thread-safe; callbacks run on the reader thread.
 */
final class CompletionTracker implements AutoCloseable {

  /** What happens when an awaited execution finishes. */
  interface Listener {

    /**
     * An awaited execution finished.
     *
     * @param dueNanos the value passed to {@link #await}
     * @param arrivedNanos {@link System#nanoTime()} when its completion record was read
     * @param succeeded whether its status is SUCCEEDED
     */
    void finished(long dueNanos, long arrivedNanos, boolean succeeded);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Long> awaited = new ConcurrentHashMap<>();
  private final Listener listener;
  private final Thread reader;
  private volatile boolean running = true;

  /**
   * Positions a consumer at the end of every partition of {@code topic} and starts reading.
   *
   * @throws IllegalStateException when the topic does not exist
   */
  CompletionTracker(String bootstrapServers, String topic, Listener listener) {
    this.listener = listener;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-loadtest-completions");
    consumer = new KafkaConsumer<>(props);
    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      consumer.close();
      throw new IllegalStateException("no topic " + topic + " on " + bootstrapServers);
    }
    List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now: a lazy seek could land after the first completions of the run.
    partitions.forEach(consumer::position);
    reader = Thread.ofPlatform().name("loadtest-completions").daemon().start(this::readLoop);
  }

  /** Awaits the execution named {@code name}; call before its start request is sent. */
  void await(String name, long dueNanos) {
    awaited.put(name, dueNanos);
  }

  /** Stops awaiting an execution (its start failed); true if it was still awaited. */
  boolean forget(String name) {
    return awaited.remove(name) != null;
  }

  /** Executions awaited and not finished yet. */
  int awaiting() {
    return awaited.size();
  }

  private void readLoop() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          String key = record.key();
          if (key == null) {
            continue;
          }
          // An EXPRESS execution's ARN ends with an id after its name.
          Long due = ExecutionArn.parse(key).map(arn -> awaited.remove(arn.name())).orElse(null);
          if (due != null) {
            listener.finished(due, now, succeeded(record.value()));
          }
        }
      }
    } catch (WakeupException e) {
      // close() woke the reader up.
    } finally {
      consumer.close();
    }
  }

  private static boolean succeeded(byte[] value) {
    try {
      return ReportCompletion.parseFrom(value).getStatus() == ExecutionStatus.SUCCEEDED;
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    reader.join(10_000);
  }
}
