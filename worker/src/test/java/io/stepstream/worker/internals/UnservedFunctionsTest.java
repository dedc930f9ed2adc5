package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.kafka.Topics;
import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tasks of a function that no worker serves, on a real broker. */
class UnservedFunctionsTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:machine:run-1";

  @Test
  void shouldFailTheQueuedTasksOfAFunctionThatNoWorkerServes() throws Exception {
    // given: a task in the queue of a function whose group never had a member
    Topics topics = new Topics("unserved.");
    Properties kafka = kafka();
    try (Admin admin = Admin.create(kafka);
        CommandSink commands = new CommandSink(kafka, topics.standardCommands(), topics.expressCommands(), topics.replies(),
            Clock.systemUTC())) {
      topics.create(admin, 2, (short) 1);
      String queue = topics.createFunctionTasks(admin, "ghost");
      DispatchTask task = DispatchTask.newBuilder().setExecutionArn(EXECUTION).setTaskToken("token-1")
          .setResource("arn:aws:lambda:us-east-1:123456789012:function:ghost").setInput("{}")
          .setIdempotencyKey("run-1/Ghost/1").build();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
          new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(queue, EXECUTION, task.toByteArray())).get();
      }

      // when
      try (UnservedFunctions unserved = new UnservedFunctions(admin, topics, f -> "unserved.workers.fn." + f, kafka,
          Duration.ZERO, () -> true, commands, "elected", "us-east-1", "123456789012")) {
        unserved.start();
        List<Command> written = commands(topics.standardCommands(), 2);

        // then: started, then failed as Lambda answers, and the queue's offset is committed for the function's group
        assertThat(written.get(0).getReportTaskStarted().getTaskToken()).isEqualTo("token-1");
        assertThat(written.get(1).getReportTaskFailed().getError()).isEqualTo("Lambda.ResourceNotFoundException");
        assertThat(written.get(1).getReportTaskFailed().getCause())
            .startsWith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost");
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("unserved.workers.fn.ghost")
          .partitionsToOffsetAndMetadata().get();
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(1);
    }
  }

  @Test
  void shouldBeFencedOffByAWorkerThatServesTheFunction() throws Exception {
    // The rule failing unserved tasks relies on: Kafka takes offsets from outside a group only while
    // the group has no member, so a worker that joins fences the failures off.
    Topics topics = new Topics("fence.");
    String group = "fence.workers.fn.charge";
    try (Admin admin = Admin.create(kafka())) {
      topics.create(admin, 1, (short) 1);
      String queue = topics.createFunctionTasks(admin, "charge");
      TopicPartition partition = new TopicPartition(queue, 0);
      try (KafkaConsumer<String, byte[]> outsider = consumer(group)) {
        outsider.assign(List.of(partition));
        try (KafkaConsumer<String, byte[]> worker = consumer(group)) {
          worker.subscribe(List.of(queue));
          while (worker.assignment().isEmpty()) {
            worker.poll(Duration.ofMillis(100));
          }

          assertThatThrownBy(() -> outsider.commitSync(Map.of(partition, new OffsetAndMetadata(0))))
              .isInstanceOf(KafkaException.class);
        }
        // The worker left: the group is empty again.
        outsider.commitSync(Map.of(partition, new OffsetAndMetadata(0)));
      }
    }
  }

  private static List<Command> commands(String topic, int count) throws Exception {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<Command> commands = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (commands.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          commands.add(Command.parseFrom(record.value()));
        }
      }
      assertThat(commands).hasSize(count);
      return commands;
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String group) {
    Properties props = kafka();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static Properties kafka() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return props;
  }
}
