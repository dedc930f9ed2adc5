package io.stepstream.projector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read your writes over the projection. API writes answer once their events are committed to the
 * events topics (the STANDARD coordinator answers in the transaction that writes them), before the
 * projector has read them. So a read first waits here until this instance's projection holds every
 * record that was in the partitions it reads when the read began:
 *
 * <ol>
 *   <li>the end of each partition (its high watermark) is asked for once the read has arrived: every
 *       record of a write that answered before is below it, since a transaction's records are
 *       acknowledged by all in-sync replicas before it commits;
 *   <li>the read goes on once the projection has processed up to that end ({@link ProjectedOffsets}),
 *       or, when the partition ends with transaction markers (which are not records), once the
 *       projector's committed offset has passed it;
 *   <li>or, for a read that has waited {@link #PROBE_AFTER}, once a {@code read_committed} look at
 *       the partition from where the projection stands shows no committed record before that end:
 *       a partition whose last transaction was aborted (a writer killed, its transaction fenced)
 *       gives the projector nothing to process, so it commits no new offset there, and without the
 *       look its reads would wait in vain until the next write to it.
 * </ol>
 *
 * A partition whose end is an open transaction makes its reads wait until that transaction ends
 * (at most the coordinator's commit interval, or until a dead writer's transaction is aborted).
 * A read that cannot pass within {@link #WAIT} fails with {@link ProjectionUnavailableException}, a
 * retryable error: unavailable, never a stale answer.
 *
 * <p>One thread serves every waiting read: the ends of the partitions of all reads that arrived
 * meanwhile are asked for in one request, and the committed offsets at most every
 * {@link #COMMITTED_INTERVAL} while some read waits for them. Thread-safe.
 */
public final class ProjectionBarrier implements AutoCloseable {

  /** How long a read waits for the projection before it fails with a retryable error. */
  public static final Duration WAIT = Duration.ofSeconds(10);
  /** How often waiting reads look at the local positions. */
  private static final long LOCAL_CHECK_MS = 2;
  /** How often the projector's committed offsets are asked for while a read waits for them. */
  static final Duration COMMITTED_INTERVAL = Duration.ofMillis(20);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /**
   * How long a read waits before its partitions are looked at directly: well beyond the projector's
   * commit interval, so that reads of partitions being written to pass on the cheap ways.
   */
  static final Duration PROBE_AFTER = Duration.ofMillis(500);
  private static final Duration PROBE_POLL = Duration.ofMillis(50);
  private static final int PROBE_POLLS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionBarrier.class);

  private final Admin admin;
  private final Properties kafka;
  private final String groupId;
  private final ProjectedOffsets offsets;
  private final LinkedBlockingQueue<Read> arrivals = new LinkedBlockingQueue<>();
  private final List<Read> waiting = new ArrayList<>();
  private final Thread thread;
  /** Runs what follows a passed read (store reads, the answer), off the barrier's one thread. */
  private final ExecutorService readers;
  private volatile boolean closed;
  private long committedAskedNanos;
  private long probedNanos;
  private Map<TopicPartition, OffsetAndMetadata> lastCommitted = Map.of();
  /** Per partition, an end below which nothing committed is left to project (found by a probe). */
  private final Map<TopicPartition, Long> clearedTo = new HashMap<>();
  /** Reads the partitions for the probes; made on first use, used by the barrier's thread only. */
  private KafkaConsumer<byte[], byte[]> prober;

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param groupId the projector's application id (its consumer group)
   * @param offsets how far this instance's projection has read
   */
  public ProjectionBarrier(Properties kafka, String groupId, ProjectedOffsets offsets) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-barrier");
    this.admin = Admin.create(props);
    this.kafka = kafka;
    this.groupId = groupId;
    this.offsets = offsets;
    this.readers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
        Thread.ofPlatform().daemon().name("projection-reads-", 0).factory());
    this.thread = Thread.ofPlatform().daemon().name("projection-barrier").start(this::run);
  }

  /**
   * Completes once this instance's projection holds every record that was in these partitions when
   * the call arrived; fails with {@link ProjectionUnavailableException} when it does not within
   * {@link #WAIT}. What follows runs on one of the barrier's reader threads.
   */
  public CompletableFuture<Void> await(Set<TopicPartition> partitions) {
    CompletableFuture<Void> passed = new CompletableFuture<>();
    if (partitions.isEmpty()) {
      passed.complete(null);
      return passed;
    }
    if (closed) {
      passed.completeExceptionally(new ProjectionUnavailableException("The history projection is stopping"));
      return passed;
    }
    arrivals.add(new Read(Set.copyOf(partitions), passed, System.nanoTime()));
    return passed;
  }

  private void run() {
    while (!closed) {
      try {
        List<Read> arrived = new ArrayList<>();
        Read first = arrivals.poll(waiting.isEmpty() ? 100 : LOCAL_CHECK_MS, TimeUnit.MILLISECONDS);
        if (first != null) {
          arrived.add(first);
          arrivals.drainTo(arrived);
          mark(arrived);
        }
        pass(Map.of());
        if (!waiting.isEmpty() && System.nanoTime() - committedAskedNanos >= COMMITTED_INTERVAL.toNanos()) {
          committedAskedNanos = System.nanoTime();
          lastCommitted = committed();
          pass(lastCommitted);
        }
        if (!waiting.isEmpty() && System.nanoTime() - probedNanos >= PROBE_AFTER.toNanos()) {
          probedNanos = System.nanoTime();
          probe();
          pass(Map.of());
        }
        expire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("Projection barrier: {}", e.toString());
        fail(waiting, "The history projection's position is unknown now: " + e.getMessage());
        waiting.clear();
      }
    }
    fail(waiting, "The history projection is stopping");
    List<Read> left = new ArrayList<>();
    arrivals.drainTo(left);
    fail(left, "The history projection is stopping");
  }

  /** Asks for the ends of the arrived reads' partitions: what each read must find projected. */
  private void mark(List<Read> arrived) throws InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    for (Read read : arrived) {
      for (TopicPartition partition : read.partitions) {
        latest.put(partition, OffsetSpec.latest());
        earliest.put(partition, OffsetSpec.earliest());
      }
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts;
    try {
      KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> endsAsked =
          admin.listOffsets(latest).all();
      starts = admin.listOffsets(earliest).all().get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      ends = endsAsked.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      fail(arrived, "The end of the history's partitions is unknown now: " + e.getMessage());
      return;
    }
    for (Read read : arrived) {
      for (TopicPartition partition : read.partitions) {
        long end = ends.get(partition).offset();
        // An empty partition (nothing written, or all of it expired) is never consumed, so it has
        // no committed offset to wait for: there is nothing to see.
        if (end > starts.get(partition).offset()) {
          read.targets.put(partition, end);
        }
      }
      waiting.add(read);
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() throws InterruptedException {
    try {
      return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
          .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.debug("Committed offsets of {} unknown now: {}", groupId, e.toString());
      return Map.of();
    }
  }

  /** Lets through every waiting read whose partitions are projected up to their marks. */
  private void pass(Map<TopicPartition, OffsetAndMetadata> committed) {
    for (Iterator<Read> it = waiting.iterator(); it.hasNext(); ) {
      Read read = it.next();
      read.targets.entrySet().removeIf(target -> offsets.next(target.getKey()) >= target.getValue()
          || committedOffset(committed, target.getKey()) >= target.getValue()
          || clearedTo.getOrDefault(target.getKey(), -1L) >= target.getValue());
      if (read.targets.isEmpty()) {
        it.remove();
        readers.execute(() -> read.passed.complete(null));
      }
    }
  }

  /**
   * Looks at the partitions of the reads that have waited {@link #PROBE_AFTER}: from where the
   * projection stands (what it processed, or the group's committed offset), a {@code read_committed}
   * consumer skips aborted records and transaction markers; if it reaches a read's mark without
   * meeting a record, nothing is left to project below the mark. It stops at an open transaction
   * (the last stable offset), so a read still waits for that one to end.
   */
  private void probe() {
    long now = System.nanoTime();
    Map<TopicPartition, Long> marks = new HashMap<>();
    for (Read read : waiting) {
      if (now - read.arrivedNanos >= PROBE_AFTER.toNanos()) {
        read.targets.forEach((partition, end) -> marks.merge(partition, end, Math::max));
      }
    }
    if (marks.isEmpty()) {
      return;
    }
    KafkaConsumer<byte[], byte[]> consumer = prober();
    Map<TopicPartition, Long> from = new HashMap<>();
    for (TopicPartition partition : marks.keySet()) {
      long position = Math.max(offsets.next(partition), committedOffset(lastCommitted, partition));
      if (position >= 0) {
        from.put(partition, position);
      }
    }
    consumer.assign(from.keySet());
    from.forEach(consumer::seek);
    Set<TopicPartition> open = new HashSet<>(from.keySet());
    for (int i = 0; i < PROBE_POLLS && !open.isEmpty(); i++) {
      for (var record : consumer.poll(PROBE_POLL)) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (open.remove(partition) && record.offset() >= marks.get(partition)) {
          clearedTo.merge(partition, marks.get(partition), Math::max);
        }
        // A committed record below the mark: the projection really is behind; the read waits.
      }
      for (Iterator<TopicPartition> it = open.iterator(); it.hasNext(); ) {
        TopicPartition partition = it.next();
        if (consumer.position(partition) >= marks.get(partition)) {
          clearedTo.merge(partition, marks.get(partition), Math::max);
          it.remove();
        }
      }
    }
    consumer.assign(Set.of());
  }

  private KafkaConsumer<byte[], byte[]> prober() {
    if (prober == null) {
      Properties props = new Properties();
      props.putAll(kafka);
      props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-barrier-probe");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      prober = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    return prober;
  }

  private static long committedOffset(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
    OffsetAndMetadata offset = committed.get(partition);
    return offset == null ? -1 : offset.offset();
  }

  private void expire() {
    long now = System.nanoTime();
    List<Read> late = new ArrayList<>();
    waiting.removeIf(read -> now - read.arrivedNanos > WAIT.toNanos() && late.add(read));
    fail(late, "The history projection has not caught up with the writes before this read within "
        + WAIT.toSeconds() + " s (an instance may be down or partitions moving)");
  }

  private static void fail(List<Read> reads, String message) {
    for (Read read : reads) {
      read.passed.completeExceptionally(new ProjectionUnavailableException(message));
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
    if (prober != null) {
      prober.close(Duration.ofSeconds(5));
    }
    readers.shutdown();
  }

  /** A read waiting for the projection: the end of each partition it must find projected. */
  private static final class Read {
    final Set<TopicPartition> partitions;
    final CompletableFuture<Void> passed;
    /** When the read arrived (System.nanoTime): it fails {@link #WAIT} later, and is probed {@link #PROBE_AFTER} later. */
    final long arrivedNanos;
    final Map<TopicPartition, Long> targets = new HashMap<>();

    Read(Set<TopicPartition> partitions, CompletableFuture<Void> passed, long arrivedNanos) {
      this.partitions = partitions;
      this.passed = passed;
      this.arrivedNanos = arrivedNanos;
    }
  }
}
