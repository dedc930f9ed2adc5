package io.stepstream.worker.internals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.server.kafka.TopicTail;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

  private final Map<String, CompletableFuture<ReportCompletion>> waiting = new ConcurrentHashMap<>();
  private final TopicTail tail;

  public CompletionWatcher(Properties kafka, String topic) {
    // Not waiting for the tail to find the end: the worker must not wait for a crashed coordinator's
    // open transactions to be resolved before it starts.
    this.tail = TopicTail.start(kafka, topic, TopicTail.From.END, "worker-completions-reader", this::complete);
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

  private void complete(ConsumerRecord<String, byte[]> record) {
    CompletableFuture<ReportCompletion> future = waiting.remove(record.key());
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
