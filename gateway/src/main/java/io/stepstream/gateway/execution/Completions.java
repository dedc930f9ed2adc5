package io.stepstream.gateway.execution;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.server.kafka.TopicTail;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  private final Map<String, CompletableFuture<ReportCompletion>> waiting = new ConcurrentHashMap<>();
  private final TopicTail tail;

  public Completions(Properties kafka, String topic) {
    this.tail = TopicTail.start(kafka, topic, TopicTail.From.END, "completions-reader", this::complete);
    tail.awaitCaughtUp(Duration.ofSeconds(30));
  }

  /** A future completed when the execution finishes; cancel or time it out to stop waiting. */
  public CompletableFuture<ReportCompletion> await(String executionArn) {
    CompletableFuture<ReportCompletion> future = new CompletableFuture<>();
    waiting.put(executionArn, future);
    future.whenComplete((value, error) -> waiting.remove(executionArn, future));
    return future;
  }

  private void complete(ConsumerRecord<String, byte[]> record) {
    CompletableFuture<ReportCompletion> future = waiting.get(record.key());
    if (future != null) {
      try {
        future.complete(ReportCompletion.parseFrom(record.value()));
      } catch (InvalidProtocolBufferException e) {
        LOG.error("Unreadable completion for {}", record.key(), e);
      }
    }
  }

  @Override
  public void close() {
    tail.close();
  }
}
