package io.stepstream.gateway.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.gateway.api.ApiException;
import io.stepstream.kafka.Topics;
import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import io.stepstream.proto.DispatchTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateways' share of the activity tasks, on a real broker: each task goes to exactly one poller
 * while partitions move between gateways, a poll waiting on a partition that leaves is released, and
 * the group's assignment names the gateway holding each partition.
 */
class ActivityTaskQueueTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final int PARTITIONS = 4;
  private static final List<String> ACTIVITIES = List.of("a", "b", "c", "d", "e", "f", "g", "h").stream()
      .map(name -> "arn:aws:states:us-east-1:123456789012:activity:" + name).toList();

  @Test
  void shouldHandEachTaskToOnePollerWhilePartitionsMoveBetweenGateways() throws Exception {
    Topics topics = topics("moving.");
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add("token-" + i);
    }
    Set<String> received = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    try (ActivityTaskQueue first = queue(topics, "first")) {
      waitUntil(() -> ACTIVITIES.stream().allMatch(first::holds), "the first gateway to hold every partition");
      send(topics, sent);
      drain(List.of(first), 20, received, duplicates);

      try (ActivityTaskQueue second = queue(topics, "second")) {
        waitUntil(() -> ACTIVITIES.stream().anyMatch(second::holds), "the second gateway to hold partitions");
        drain(List.of(first, second), 30, received, duplicates);
        // The first gateway leaves holding tasks it read and never handed out: the second takes them.
        first.close();
        waitUntil(() -> ACTIVITIES.stream().allMatch(second::holds), "the second gateway to hold every partition");
        drain(List.of(second), sent.size(), received, duplicates);
      }
    }

    assertThat(duplicates).isEmpty();
    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void shouldReleaseAPollWaitingOnAPartitionThatLeaves() throws Exception {
    Topics topics = topics("released.");
    try (ActivityTaskQueue first = queue(topics, "first")) {
      waitUntil(() -> first.holds(ACTIVITIES.getFirst()), "the first gateway to hold the activity's partition");
      CompletableFuture<Optional<DispatchTask>> waiting = first.poll(ACTIVITIES.getFirst(), Duration.ofSeconds(60));
      try (ActivityTaskQueue second = queue(topics, "second")) {
        // Every rebalance revokes the partitions first, so the poll is released even if its partition
        // comes back: its gateway asks again where the tasks are.
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(ApiException.class).hasMessageContaining("moved to another gateway");
      }
    }
  }

  @Test
  void shouldNameTheGatewayHoldingEachPartition() throws Exception {
    Topics topics = topics("named.");
    try (ActivityTaskQueue first = queue(topics, "first"); ActivityTaskQueue second = queue(topics, "second");
        ActivityTaskHolders holders = new ActivityTaskHolders(kafka(), topics.activityTasks(), group(topics))) {
      waitUntil(() -> ACTIVITIES.stream().anyMatch(first::holds) && ACTIVITIES.stream().anyMatch(second::holds)
          && ACTIVITIES.stream().allMatch(arn -> first.holds(arn) || second.holds(arn)),
          "both gateways to hold partitions");
      waitUntil(() -> {
        holders.refresh();
        return ACTIVITIES.stream().allMatch(arn -> {
          String expected = first.holds(arn) ? "first:1" : "second:1";
          return holders.holder(first.partition(arn)).join().equals(Optional.of(expected));
        });
      }, "the group to name the holder of every activity's partition");

      assertThatThrownBy(() -> second.poll(ACTIVITIES.stream().filter(first::holds).findFirst().orElseThrow(),
          Duration.ZERO).join()).cause().isInstanceOf(ApiException.class).hasMessageContaining("not held");
    }
  }

  /** Polls every activity on the gateways holding it until {@code until} tasks were received in all. */
  private static void drain(List<ActivityTaskQueue> gateways, int until, Set<String> received, List<String> duplicates) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (received.size() < until && System.nanoTime() < deadline) {
      for (String activity : ACTIVITIES) {
        for (ActivityTaskQueue gateway : gateways) {
          if (received.size() >= until || !gateway.holds(activity)) {
            continue;
          }
          // A partition may leave between holds() and poll(): that poll is refused and gets no task.
          Optional<DispatchTask> task = gateway.poll(activity, Duration.ofMillis(50)).exceptionally(e -> Optional.empty())
              .join();
          task.ifPresent(t -> {
            if (!received.add(t.getTaskToken())) {
              duplicates.add(t.getTaskToken());
            }
          });
        }
      }
    }
    assertThat(received).as("tasks received").hasSizeGreaterThanOrEqualTo(until);
  }

  private static void send(Topics topics, List<String> tokens) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < tokens.size(); i++) {
        String activity = ACTIVITIES.get(i % ACTIVITIES.size());
        DispatchTask task = DispatchTask.newBuilder().setExecutionArn("arn:aws:states:us-east-1:123456789012:execution:m:" + i)
            .setTaskToken(tokens.get(i)).setResource(activity).setInput("{}").build();
        producer.send(new ProducerRecord<>(topics.activityTasks(), activity, task.toByteArray())).get();
      }
    }
  }

  private static Topics topics(String prefix) throws Exception {
    Topics topics = new Topics(prefix);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      topics.create(admin, PARTITIONS, (short) 1);
    }
    return topics;
  }

  private static ActivityTaskQueue queue(Topics topics, String name) {
    return new ActivityTaskQueue(kafka(), topics.activityTasks(), group(topics), ActivityTaskHolders.clientId(name + ":1"));
  }

  private static String group(Topics topics) {
    return topics.prefix() + "activity-pollers";
  }

  private static Properties kafka() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return props;
  }

  private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
