package io.stepstream.kafka;

import io.stepstream.proto.CommandReply;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a command's reply to the partition of the replies topic its caller follows
 * ({@code ReplyTo.partition}, taken modulo the topic's partitions). Used by every application that
 * answers API writes: the STANDARD coordinator, and the history projector for what it delivers.
 */
public final class ReplyPartitioner implements StreamPartitioner<String, Object> {

  /** The one instance (stateless). */
  public static final ReplyPartitioner INSTANCE = new ReplyPartitioner();

  private ReplyPartitioner() {}

  @Override
  public Optional<Set<Integer>> partitions(String topic, String key, Object reply, int numPartitions) {
    return Optional.of(Set.of(Math.floorMod(((CommandReply) reply).getPartition(), numPartitions)));
  }
}
