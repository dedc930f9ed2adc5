package io.stepstream.projector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * How far this instance's projection has read each input partition: the offset after the last record
 * the projection processed (its stores hold everything below it). Written by the stream thread as it
 * processes, read by {@link ProjectionBarrier}; a partition's entry goes when its task closes here, so
 * an entry always describes the task active now. Thread-safe.
 *
 * <p>Transaction markers are not records: after a commit marker the consumer's position is one past
 * the last processed record, which only the task's committed offset shows (the barrier asks for it).
 */
public final class ProjectedOffsets {

  private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

  /** The projection processed the record at {@code offset}. */
  void processed(String topic, int partition, long offset) {
    next.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
  }

  /** The task holding {@code partition} of these topics closed here. */
  void released(Iterable<String> topics, int partition) {
    for (String topic : topics) {
      next.remove(new TopicPartition(topic, partition));
    }
  }

  /** The offset after the last record processed here, or -1 when none was since the task opened. */
  long next(TopicPartition partition) {
    return next.getOrDefault(partition, -1L);
  }
}
