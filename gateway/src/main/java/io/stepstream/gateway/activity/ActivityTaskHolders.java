package io.stepstream.gateway.activity;

import io.stepstream.gateway.api.ApiErrors;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which gateway holds each partition of the activity-tasks topic, as the group coordinator says:
 * the assignment of the gateways' consumer group (Admin {@code describeConsumerGroups}), where each
 * gateway's client id is {@link #clientId} of its internal address. Asking the coordinator rather than
 * keeping a directory of claims means there is nothing to publish and nothing stale to expire: a
 * gateway is named only while the group assigns it the partition.
 *
 * <p>An answer can be old by the time a poll reaches the gateway it names (a rebalance in between);
 * that gateway checks what it holds and refuses the rest ({@link ActivityTaskQueue#poll}), and the
 * caller asks here again. While the group is rebalancing, the coordinator names no holder. An answer
 * is reused until a caller finds it wrong ({@link #refresh}), and asked again at most every 200 ms, so
 * many polls refused at once cost one describe. Non-blocking and thread-safe.
 */
public final class ActivityTaskHolders implements AutoCloseable {

  private static final String CLIENT_ID_PREFIX = "stepstream-activity-tasks@";
  private static final Duration MIN_REFRESH = Duration.ofMillis(200);

  private record Answer(CompletableFuture<Map<Integer, String>> holders, long askedNanos) {}

  private final Admin admin;
  private final String groupId;
  private final String topic;
  private final AtomicReference<Answer> answer = new AtomicReference<>();

  /**
   * @param kafka client properties with at least {@code bootstrap.servers}
   * @param topic the activity-tasks topic
   * @param groupId the gateways' consumer group
   */
  public ActivityTaskHolders(Properties kafka, String topic, String groupId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "stepstream-activity-task-holders");
    this.admin = Admin.create(props);
    this.topic = topic;
    this.groupId = groupId;
  }

  /** The client id of a gateway in the group: it carries the gateway's internal address. */
  public static String clientId(String internalAddress) {
    return CLIENT_ID_PREFIX + internalAddress;
  }

  /**
   * The internal address of the gateway holding a partition.
   *
   * @return the address, or empty when the group names no holder now (a rebalance); fails with
   *     {@code ServiceUnavailable} when the group cannot be described
   */
  public CompletableFuture<Optional<String>> holder(int partition) {
    Answer current = answer.get();
    if (current == null) {
      refresh();
      current = answer.get();
    }
    return current.holders().thenApply(holders -> Optional.ofNullable(holders.get(partition)));
  }

  /** Asks the group again, unless the last answer is younger than 200 ms. */
  public void refresh() {
    Answer current = answer.get();
    long now = System.nanoTime();
    if (current != null && now - current.askedNanos() < MIN_REFRESH.toNanos()) {
      return;
    }
    Answer next = new Answer(new CompletableFuture<>(), now);
    if (answer.compareAndSet(current, next)) {
      describe(next.holders());
    }
  }

  private void describe(CompletableFuture<Map<Integer, String>> holders) {
    admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).whenComplete((group, error) -> {
      if (error != null) {
        holders.completeExceptionally(
            ApiErrors.unavailable("Cannot find which gateway holds the activity tasks now: " + error.getMessage()));
      } else {
        holders.complete(holders(group));
      }
    });
  }

  private Map<Integer, String> holders(ConsumerGroupDescription group) {
    Map<Integer, String> holders = new HashMap<>();
    for (MemberDescription member : group.members()) {
      if (!member.clientId().startsWith(CLIENT_ID_PREFIX)) {
        continue;
      }
      String address = member.clientId().substring(CLIENT_ID_PREFIX.length());
      for (TopicPartition partition : member.assignment().topicPartitions()) {
        if (partition.topic().equals(topic)) {
          holders.put(partition.partition(), address);
        }
      }
    }
    return holders;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
