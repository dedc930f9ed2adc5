package io.stepstream.gateway.registry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.kafka.TopicTail;
import io.stepstream.proto.StateMachineRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the state-machines topic across the cluster. Every instance writes through a
 * transactional producer with the same transactional id (derived from the topic), so initialising it
 * fences the writer of every other instance: the transaction coordinator completes or aborts that
 * writer's open transaction first, and the fenced writer can never commit again.
 *
 * <p>A mutation reads the registry view caught up to the topic's committed end, decides, and commits
 * its records in one transaction. The commit succeeds only if no other instance initialised its
 * writer since this one did, and every write committed before that initialisation is in the view
 * (the catch-up after it waits for them): so no write came between what the decision read and what
 * it wrote. When another instance wrote meanwhile, the commit fails with a fencing error; this writer
 * initialises again and decides again on a view that holds the other write, so a second version gets
 * the next number, and a conflicting request gets the error the action names for it.
 *
 * <p>Two instances that write at the same moment fence each other in turn; a random back-off after
 * each fence lets one of them commit. Not thread-safe: one thread at a time calls {@link #write}, and
 * it blocks (initTransactions, commitTransaction): never an event loop.
 */
final class RegistryWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWriter.class);

  /** How often a mutation is decided and committed, when other instances' writes fence it. */
  static final int ATTEMPTS = 10;
  /** The longest the view may take to reach the committed end, or to apply this writer's write. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  /**
   * How long a transaction of this writer may stay open: if its instance dies mid-write, every
   * {@code read_committed} reader of the registry waits for it until another instance's writer fences
   * it or this passes. A registry transaction lasts two sends and a commit.
   */
  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

  private final String topic;
  private final Properties producerProperties;
  private final TopicTail tail;
  /** Asks the broker for the topic's committed end (its last stable offset); no group, never polls. */
  private final KafkaConsumer<byte[], byte[]> ends;
  private final List<TopicPartition> partitions;
  /** Null until the first write, and again after it was fenced or failed. */
  private KafkaProducer<byte[], byte[]> producer;

  RegistryWriter(String topic, Properties clientProperties, TopicTail tail) {
    this.topic = topic;
    this.producerProperties = producerProperties(clientProperties, topic);
    this.tail = tail;
    Properties consumer = new Properties();
    consumer.putAll(clientProperties);
    consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "stepstream-registry-writer-ends");
    this.ends = new KafkaConsumer<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partitions = ends.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    // Assigned (never polled), so that the consumer keeps the last stable offsets it is told.
    ends.assign(partitions);
  }

  /** The transactional id every writer of a registry topic shares, in any instance. */
  static String transactionalId(String topic) {
    return topic + "-writer";
  }

  /**
   * Decides on the caught-up view and commits the decision, deciding again while other instances'
   * writes fence it.
   *
   * @return the decision's answer, once its record (if any) is committed and in the view
   * @throws io.stepstream.gateway.api.ApiException what {@code decide} threw, or ServiceUnavailable
   *     when the registry cannot be written (nothing was written then)
   */
  <T> T write(Supplier<Decision<T>> decide) {
    int failed = 0;
    while (true) {
      catchUp();
      Decision<T> decision = decide.get();
      if (decision.write().isEmpty()) {
        return decision.answer();
      }
      if (producer == null) {
        initialise();
        // Writes committed before the fence may still have been missing from the view: decide again.
        continue;
      }
      try {
        commit(decision.write().get());
        return decision.answer();
      } catch (KafkaException e) {
        // Whatever failed, the next initialisation completes or aborts this transaction before the
        // view catches up, so deciding again on that view is safe: it holds this write if it committed.
        discardProducer();
        if (isFenced(e)) {
          LOG.debug("Another instance wrote the registry {} first; deciding again: {}", topic, e.toString());
        } else {
          // A broker may also answer an EndTxn that races with another writer's fence with an
          // unexpected server error (seen with Kafka 4.3): the fence aborts the transaction.
          LOG.info("Writing the registry {} failed; deciding again: {}", topic, e.toString());
        }
        if (++failed == ATTEMPTS) {
          LOG.warn("Cannot write the state machine registry {}", topic, e);
          throw ApiErrors.unavailable("The state machine registry cannot be written now (" + ATTEMPTS
              + " attempts): " + e.getMessage());
        }
        backOff(failed);
      }
    }
  }

  /** Waits until the view holds every write committed before now. */
  private void catchUp() {
    Map<TopicPartition, Long> end;
    try {
      end = ends.endOffsets(partitions, CATCH_UP);
    } catch (KafkaException e) {
      throw ApiErrors.unavailable("The end of the state machine registry cannot be read now: " + e.getMessage());
    }
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      await(tail.awaitPosition(partition.getKey().partition(), partition.getValue() - 1));
    }
  }

  /** Creates the producer and initialises its transactions, which fences any other instance's writer. */
  private void initialise() {
    producer = new KafkaProducer<>(producerProperties);
    try {
      producer.initTransactions();
    } catch (KafkaException e) {
      discardProducer();
      throw ApiErrors.unavailable("The state machine registry writer cannot start now: " + e.getMessage());
    }
  }

  /**
   * Writes one record in a transaction: first its revision under {@code ARN#revision} (running
   * executions read the definition they started with, whatever updates follow; versions and aliases
   * belong to the state machine, so the revision record leaves them out), then the record itself.
   * Returns once the view has applied it.
   */
  private void commit(StateMachineRecord record) {
    producer.beginTransaction();
    if (!record.getDeleted()) {
      producer.send(new ProducerRecord<>(topic,
          (record.getArn() + KafkaStateMachineRegistry.REVISION_SEPARATOR + record.getRevision())
              .getBytes(StandardCharsets.UTF_8),
          StateMachineRegistry.revisionOf(record).toByteArray()));
    }
    Future<RecordMetadata> sent = producer.send(
        new ProducerRecord<>(topic, record.getArn().getBytes(StandardCharsets.UTF_8), record.toByteArray()));
    producer.commitTransaction();
    RecordMetadata written = await(sent);
    await(tail.awaitPosition(written.partition(), written.offset()));
  }

  /**
   * True when the transaction failed because another instance's writer was initialised since this one
   * was: the coordinator answers the old epoch with a fencing error, or aborts the transaction it had
   * open (its sends then fail as aborted, or as abortable when a partition saw the newer epoch first).
   */
  private static boolean isFenced(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
          || cause instanceof TransactionAbortedException || cause instanceof TransactionAbortableException
          || cause instanceof InvalidTxnStateException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits a random moment before initialising again: two instances that retry at once would otherwise
   * fence each other's next transaction again and again.
   */
  private static void backOff(int failed) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(failed, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiErrors.unavailable("Interrupted while writing the state machine registry");
    }
  }

  private static <V> V await(Future<V> future) {
    try {
      return future.get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException kafka ? kafka
          : ApiErrors.unavailable("The state machine registry cannot be read now: " + e.getCause());
    } catch (TimeoutException e) {
      throw ApiErrors.unavailable("The state machine registry was not read in " + CATCH_UP);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiErrors.unavailable("Interrupted while writing the state machine registry");
    }
  }

  private void discardProducer() {
    if (producer != null) {
      // Its open transaction, if any, is aborted by the next writer's initialisation, or times out.
      producer.close(Duration.ZERO);
      producer = null;
    }
  }

  @Override
  public void close() {
    discardProducer();
    ends.close(Duration.ofSeconds(5));
  }

  private static Properties producerProperties(Properties base, String topic) {
    Properties props = new Properties();
    props.putAll(base);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topic));
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CATCH_UP.toMillis());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    // An initialisation right after another instance's commit is answered CONCURRENT_TRANSACTIONS
    // until that commit's markers are written (a few milliseconds): retry soon, not after 100 ms.
    props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "stepstream-registry-writer");
    return props;
  }
}
