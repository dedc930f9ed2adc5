package io.stepstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicsTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void shouldNameTopicsWithTheDefaultPrefix() {
    assertThat(Topics.defaults().all()).containsExactly("sfn.state-machines", "sfn.activities", "sfn.instances",
        "sfn.standard.commands", "sfn.standard.events", "sfn.express.commands", "sfn.express.events", "sfn.tasks",
        "sfn.activity-tasks", "sfn.completions", "sfn.replies", "sfn.maprun.commands", "sfn.maprun.status",
        "sfn.execution-logs");
  }

  @Test
  void shouldRejectAPrefixKafkaCannotUse() {
    assertThatThrownBy(() -> new Topics("bad prefix/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldCreateEveryTopicWithACompactedSinglePartitionRegistry() throws Exception {
    Topics topics = new Topics("create.");
    try (Admin admin = admin()) {
      List<String> created = topics.create(admin, 3, (short) 1);

      assertThat(created).containsExactlyInAnyOrderElementsOf(topics.all());
      Map<String, TopicDescription> descriptions = admin.describeTopics(topics.all()).allTopicNames().get();
      assertThat(descriptions.get("create.standard.commands").partitions()).hasSize(3);
      assertThat(descriptions.get("create.completions").partitions()).hasSize(3);
      assertThat(descriptions.get("create.state-machines").partitions()).hasSize(1);
      ConfigResource registry = new ConfigResource(ConfigResource.Type.TOPIC, "create.state-machines");
      Config config = admin.describeConfigs(List.of(registry)).all().get().get(registry);
      assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
      assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
    }
  }

  @Test
  void shouldAskTwoInSyncReplicasFromThreeReplicasOn() {
    assertThat(Topics.minInSyncReplicas((short) 1)).isEqualTo(1);
    assertThat(Topics.minInSyncReplicas((short) 2)).isEqualTo(1);
    assertThat(Topics.minInSyncReplicas((short) 3)).isEqualTo(2);
  }

  @Test
  void shouldKeepHistoryEventsForTheirRetention() throws Exception {
    Topics topics = new Topics("retention.");
    try (Admin admin = admin()) {
      topics.create(admin, 1, (short) 1);

      assertThat(retentionMs(admin, "retention.standard.events")).isEqualTo(Long.toString(90L * 24 * 3600 * 1000));
      assertThat(retentionMs(admin, "retention.express.events")).isEqualTo(Long.toString(24L * 3600 * 1000));
    }
  }

  private static String retentionMs(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(TopicConfig.RETENTION_MS_CONFIG)
        .value();
  }

  @Test
  void shouldLeaveExistingTopicsAloneWhenCreatingAgain() throws Exception {
    Topics topics = new Topics("again.");
    try (Admin admin = admin()) {
      topics.create(admin, 2, (short) 1);

      List<String> createdAgain = topics.create(admin, 5, (short) 1);

      assertThat(createdAgain).isEmpty();
      assertThat(admin.describeTopics(List.of("again.tasks")).allTopicNames().get()
          .get("again.tasks").partitions()).hasSize(2);
      // ... and says so: every partitioned topic, none of the single-partition registries.
      assertThat(topics.partitionMismatches(admin, 5)).hasSize(topics.all().size() - 3)
          .allSatisfy(line -> assertThat(line).contains("has 2 partitions, not the 5 asked for"));
      assertThat(topics.partitionMismatches(admin, 2)).isEmpty();
    }
  }

  @Test
  void shouldCreateAFunctionQueueShapedLikeTheTasksTopic() throws Exception {
    Topics topics = new Topics("fn.");
    try (Admin admin = admin()) {
      topics.create(admin, 3, (short) 1);

      String queue = topics.createFunctionTasks(admin, "charge");
      // A second worker serving the same function finds it there.
      assertThat(topics.createFunctionTasks(admin, "charge")).isEqualTo(queue);

      assertThat(queue).isEqualTo("fn.tasks.fn.charge").startsWith(topics.functionTasksPrefix());
      assertThat(admin.describeTopics(List.of(queue)).allTopicNames().get().get(queue).partitions()).hasSize(3);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, queue);
      assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource)
          .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value()).isEqualTo("1");
      assertThat(topics.all()).doesNotContain(queue);
    }
  }

  private static Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()));
  }
}
