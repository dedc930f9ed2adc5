package io.stepstream.worker.internals;

import io.stepstream.kafka.OffsetTracker;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One queue of tasks a worker consumes: a consumer in one group on one topic, polled by a thread of
 * its own. Each record goes to a {@link Handler}; per partition, offsets are committed up to the
 * first record whose handler has not called {@code done} yet, so a record is never skipped when the
 * worker dies, even if later records finished first. Fetching pauses while the worker runs its
 * limit of tasks (the count is shared by all queues of a worker).
 *
 * <p>Life cycle: {@link #start()}; {@link #stop()} stops fetching and makes the thread wait, with
 * its partitions, until {@link #close()} commits what finished and leaves the group. A thread that
 * fails on its own commits and leaves at once, so its partitions go to other members.
 *
 * <p>A partition that moves to another worker in a rebalance first waits, up to {@link
 * #REVOKE_GRACE}, for its records in flight (a task running, a task being moved to its function's
 * queue) to finish, then commits: otherwise the next owner would run them again while they still
 * run here, and a side effect would happen twice. Longer tasks are run again there (at least once).
 */
public final class TaskQueue {

  private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);
  private static final Duration PREPARE_RETRY = Duration.ofSeconds(1);
  /** How long a partition leaving this worker waits for its records in flight. */
  static final Duration REVOKE_GRACE = Duration.ofSeconds(10);

  /** What a queue hands each record to; called on the queue's thread, so it must not block. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Takes one record.
     *
     * @param record the record
     * @param done call once the record is dealt with for good (its result acknowledged, or it was
     *     moved elsewhere); until then its offset is not committed. Never calling it makes the record
     *     run again after the partition moves. Extra calls are ignored.
     */
    void handle(ConsumerRecord<String, byte[]> record, Runnable done);
  }

  private final String topic;
  private final Handler handler;
  private final Runnable prepare;
  private final AtomicInteger inFlight;
  private final int maxInFlight;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
  private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
  private final CountDownLatch released = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean open = true;

  /**
   * Creates the queue; nothing is fetched before {@link #start()}.
   *
   * @param topic the topic to subscribe to
   * @param consumerProperties the consumer's properties, group id included
   * @param handler takes each record
   * @param prepare run on the queue's thread before it subscribes (creating the topic), again every
   *     second until it returns normally
   * @param inFlight the worker's count of records handed out and not done, shared by its queues
   * @param maxInFlight the count at which every queue stops fetching
   * @param threadName the polling thread's name
   */
  public TaskQueue(String topic, Properties consumerProperties, Handler handler, Runnable prepare,
      AtomicInteger inFlight, int maxInFlight, String threadName) {
    this.topic = topic;
    this.handler = handler;
    this.prepare = prepare;
    this.inFlight = inFlight;
    this.maxInFlight = maxInFlight;
    this.consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name(threadName).unstarted(this::run);
  }

  /**
   * The queue's consumer, for reading its client metrics only ({@code metrics()} is safe from any
   * thread; nothing else of it is).
   */
  public org.apache.kafka.clients.consumer.Consumer<String, byte[]> metricsSource() {
    return consumer;
  }

  /** Starts polling. */
  public void start() {
    thread.start();
  }

  /** The topic this queue consumes. */
  public String topic() {
    return topic;
  }

  /** Whether this queue's consumer holds that partition of its topic now. */
  public boolean holds(int partition) {
    return assigned.contains(partition);
  }

  /** Stops fetching; the partitions stay with this worker until {@link #close()}. */
  public void stop() {
    open = false;
    if (thread.isAlive()) {
      consumer.wakeup();
    }
  }

  /** Commits what finished and leaves the group; waits for the polling thread. */
  public void close() {
    stop();
    released.countDown();
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    boolean stopped = false;
    try {
      prepareUntilDone();
      consumer.subscribe(List.of(topic), new Rebalance());
      boolean paused = false;
      while (open) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          dispatch(record);
        }
        commit(false, trackers.keySet());
        // Back-pressure: stop fetching while too many tasks run; the group membership stays.
        if (!paused && inFlight.get() >= maxInFlight) {
          consumer.pause(consumer.assignment());
          paused = true;
        } else if (paused && inFlight.get() < maxInFlight / 2) {
          consumer.resume(consumer.paused());
          paused = false;
        }
      }
      stopped = true;
    } catch (WakeupException e) {
      stopped = true;
    } catch (InterruptedException e) {
      stopped = true;
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("The queue {} stopped polling", topic, e);
    } finally {
      if (stopped) {
        awaitRelease();
      }
      commitLast();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void prepareUntilDone() throws InterruptedException {
    while (open) {
      try {
        prepare.run();
        return;
      } catch (RuntimeException e) {
        LOG.warn("The queue {} cannot start yet; trying again in {}", topic, PREPARE_RETRY, e);
        Thread.sleep(PREPARE_RETRY);
      }
    }
  }

  private void dispatch(ConsumerRecord<String, byte[]> record) {
    OffsetTracker tracker = trackers.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
        p -> new OffsetTracker());
    long offset = record.offset();
    tracker.started(offset);
    inFlight.incrementAndGet();
    AtomicBoolean finished = new AtomicBoolean();
    handler.handle(record, () -> {
      if (finished.compareAndSet(false, true)) {
        tracker.finished(offset);
        inFlight.decrementAndGet();
      }
    });
  }

  private void awaitRelease() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void commitLast() {
    try {
      commit(true, trackers.keySet());
    } catch (WakeupException e) {
      // A wake-up that came while the thread was not polling: the commit is still wanted.
      commit(true, trackers.keySet());
    } catch (RuntimeException e) {
      LOG.warn("The queue {} could not commit its last offsets", topic, e);
    }
  }

  private void commit(boolean sync, Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetTracker tracker = trackers.get(partition);
      long offset = tracker == null ? -1 : tracker.committable();
      if (offset >= 0) {
        offsets.put(partition, new OffsetAndMetadata(offset));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
      acknowledged(offsets);
    } else {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          LOG.debug("An offset commit failed; the next one offers its offsets again", error);
        } else {
          acknowledged(committed);
        }
      });
    }
  }

  private void acknowledged(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> {
      OffsetTracker tracker = trackers.get(partition);
      if (tracker != null) {
        tracker.committed(offset.offset());
      }
    });
  }

  /** Commits what is finished in partitions leaving this worker; their unfinished records run again elsewhere. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> assigned.remove(p.partition()));
      awaitInFlight(partitions);
      try {
        commit(true, partitions);
      } catch (RuntimeException e) {
        LOG.warn("Offsets of revoked partitions were not committed", e);
      }
      partitions.forEach(trackers::remove);
    }

    private void awaitInFlight(Collection<TopicPartition> partitions) {
      long deadline = System.nanoTime() + REVOKE_GRACE.toNanos();
      for (TopicPartition partition : partitions) {
        OffsetTracker tracker = trackers.get(partition);
        while (tracker != null && tracker.inFlight() > 0 && System.nanoTime() < deadline) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(p -> assigned.remove(p.partition()));
      partitions.forEach(trackers::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Trackers are created with the first record of a partition.
      partitions.forEach(p -> assigned.add(p.partition()));
    }
  }
}
