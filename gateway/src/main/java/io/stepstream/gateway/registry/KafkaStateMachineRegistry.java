package io.stepstream.gateway.registry;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.kafka.TopicTail;
import io.stepstream.proto.StateMachineRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateMachineRegistry} on the compacted {@code state-machines} topic: key = ARN (UTF-8),
 * value = a serialized {@link StateMachineRecord}.
 *
 * <p>A {@link TopicTail} reads the whole topic from the beginning, {@code read_committed} and without
 * a consumer group, into an in-memory map. Mutations are decided on that view and written in Kafka
 * transactions by the cluster's one {@link RegistryWriter}, so two instances never both pass a check
 * that only one of them should; a mutation's future completes once the tail has applied its write,
 * so the writer reads its own write. A lookup that misses reads the topic up to its current end
 * first ({@link #findLatest}), so a state machine created on another instance before the lookup
 * began is found.
 *
 * <p>{@link #open} returns once the view has caught up with the topic as it was at start.
 */
public final class KafkaStateMachineRegistry implements StateMachineRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaStateMachineRegistry.class);

  /** Separates the ARN and the revision in the key of a revision record ("arn#3"). */
  public static final char REVISION_SEPARATOR = '#';
  /** The longest a lookup that missed waits for the view to reach the topic's end. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);

  /** One thread: mutations run one after another, in the order they were submitted, off the event loops. */
  private final ExecutorService writes =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("state-machine-registry-writer").factory());
  private final ConcurrentSkipListMap<String, StateMachineRecord> view = new ConcurrentSkipListMap<>();
  /** Every revision record by its key ("arn#3"), for DescribeStateMachineForExecution. */
  private final Map<String, StateMachineRecord> revisions = new ConcurrentHashMap<>();
  private TopicTail tail;
  private RegistryWriter writer;

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
    KafkaStateMachineRegistry registry = new KafkaStateMachineRegistry();
    try {
      Properties consumer = new Properties();
      consumer.putAll(clientProperties);
      consumer.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-registry-reader");
      registry.tail = TopicTail.start(consumer, topic, TopicTail.From.BEGINNING, "state-machine-registry-reader",
          registry::apply);
      if (!registry.tail.awaitCaughtUp(timeout)) {
        throw new IllegalStateException("The state machine registry did not catch up with " + topic + " in " + timeout);
      }
      registry.writer = new RegistryWriter(topic, clientProperties, registry.tail);
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

  /**
   * Runs the mutation on this registry's writer thread, after every mutation submitted before it; see
   * {@link RegistryWriter} for how it stays exact across instances.
   */
  @Override
  public <T> CompletableFuture<T> mutate(Supplier<Decision<T>> decide) {
    return CompletableFuture.supplyAsync(() -> writer.write(decide), writes);
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
    // A mutation under way finishes first (its commit or its failure takes at most a few seconds).
    writes.shutdown();
    try {
      writes.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer != null) {
      writer.close();
    }
    if (tail != null) {
      tail.close();
    }
  }

}
