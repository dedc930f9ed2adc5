package io.stepstream.gateway.history;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.kafka.TopicTail;
import io.stepstream.proto.ProjectorInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes for an instance that runs no history projector (a gateway alone): follows the instances
 * topic, where every projector instance publishes its internal address and the partitions it holds
 * after each rebalance, and computes an execution's partition as the producer does. The newest claim
 * of a partition wins; a claim that is stale (its instance died, the partition moved) makes the
 * forwarded read fail with a retryable error until the new holder publishes. Thread-safe.
 */
public final class ProjectorDirectory implements HistoryRoutes, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectorDirectory.class);

  private final Map<String, ProjectorInstance> instances = new ConcurrentHashMap<>();
  private final int partitionCount;
  private final TopicTail tail;

  /**
   * @param instancesTopic the instances topic
   * @param partitionCount the partitions of the events topics
   */
  public ProjectorDirectory(Properties kafka, String instancesTopic, int partitionCount) {
    this.partitionCount = partitionCount;
    this.tail = TopicTail.start(kafka, instancesTopic, TopicTail.From.BEGINNING, "projector-directory", this::apply);
    tail.awaitCaughtUp(Duration.ofSeconds(30));
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      instances.remove(record.key());
      return;
    }
    try {
      instances.put(record.key(), ProjectorInstance.parseFrom(record.value()));
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("Unreadable projector instance record {}", record.key(), e);
    }
  }

  @Override
  public String ownerAddress(String executionArn) {
    int partition = ExecutionArn.partition(executionArn, partitionCount);
    ProjectorInstance owner = owner(partition);
    if (owner == null) {
      throw ApiErrors.unavailable("No history projector holds partition " + partition + " now");
    }
    return owner.getAddress();
  }

  /** The newest claim of a partition, or null. */
  private ProjectorInstance owner(int partition) {
    ProjectorInstance owner = null;
    for (ProjectorInstance instance : instances.values()) {
      if (instance.getPartitionsList().contains(partition)
          && (owner == null || instance.getUpdatedMs() > owner.getUpdatedMs())) {
        owner = instance;
      }
    }
    return owner;
  }

  /** The instances holding the newest claim of some partition (a dead instance's claims are overtaken). */
  @Override
  public List<String> otherInstances() {
    List<String> addresses = new ArrayList<>();
    for (int partition = 0; partition < partitionCount; partition++) {
      ProjectorInstance owner = owner(partition);
      if (owner != null && !addresses.contains(owner.getAddress())) {
        addresses.add(owner.getAddress());
      }
    }
    if (addresses.isEmpty()) {
      throw ApiErrors.unavailable("No history projector is known now");
    }
    return addresses;
  }

  @Override
  public int partitionCount() {
    return partitionCount;
  }

  @Override
  public void close() {
    tail.close();
  }
}
