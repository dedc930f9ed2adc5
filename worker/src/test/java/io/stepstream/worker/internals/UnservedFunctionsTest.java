package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.kafka.Topics;
import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReplyTo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
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
      assertThat(committed(admin, "unserved.workers.fn.ghost")).isEqualTo(1);
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

  @Test
  void shouldAnswerTheCallerOfAnUnservedTaskWithAReplyAddressAndTellNoExecution() throws Exception {
    // given: TestState's task (a reply address, a deadline) in the queue of a function nobody serves
    Topics topics = new Topics("testing.");
    Properties kafka = kafka();
    try (Admin admin = Admin.create(kafka);
        CommandSink commands = new CommandSink(kafka, topics.standardCommands(), topics.expressCommands(),
            topics.replies(), Clock.systemUTC())) {
      topics.create(admin, 2, (short) 1);
      String queue = topics.createFunctionTasks(admin, "ghost");
      String execution = "arn:aws:states:us-east-1:123456789012:express:TestState:t:t";
      DispatchTask task = DispatchTask.newBuilder().setExecutionArn(execution).setTaskToken("token-1")
          .setResource("arn:aws:lambda:us-east-1:123456789012:function:ghost").setInput("{}")
          .setIdempotencyKey("t/StateName/1").setReplyTo(ReplyTo.newBuilder().setPartition(1).setRequestId("r-1"))
          .setDeadlineMs(System.currentTimeMillis() + 300_000).build();
      try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka, new StringSerializer(),
          new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(queue, execution, task.toByteArray())).get();
      }

      // when
      try (UnservedFunctions unserved = new UnservedFunctions(admin, topics, f -> "testing.workers.fn." + f, kafka,
          Duration.ZERO, () -> true, commands, "elected", "us-east-1", "123456789012")) {
        unserved.start();
        List<ConsumerRecord<String, byte[]>> replies = read(topics.replies(), 1);

        // then: the caller's partition has the failure, under its request id
        assertThat(replies.get(0).partition()).isEqualTo(1);
        assertThat(replies.get(0).key()).isEqualTo("r-1");
        CommandReply reply = CommandReply.parseFrom(replies.get(0).value());
        assertThat(reply.getTaskFailed().getError()).isEqualTo("Lambda.ResourceNotFoundException");
        assertThat(reply.getTaskFailed().getCause())
            .startsWith("Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost");
        // The offset is committed once every report of the batch is acknowledged: then nothing went to an execution.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committed(admin, "testing.workers.fn.ghost") < 1 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(committed(admin, "testing.workers.fn.ghost")).isEqualTo(1);
      }
      for (String topic : List.of(topics.standardCommands(), topics.expressCommands())) {
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(Map.of(
            new TopicPartition(topic, 0), OffsetSpec.latest(), new TopicPartition(topic, 1), OffsetSpec.latest()))
            .all().get();
        assertThat(ends.values()).as(topic).allSatisfy(end -> assertThat(end.offset()).isZero());
      }
    }
  }

  /** The offsets a function's group has committed, summed over its queue's partitions. */
  private static long committed(Admin admin, String group) throws Exception {
    return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
        .mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static List<Command> commands(String topic, int count) throws Exception {
    List<Command> commands = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : read(topic, count)) {
      commands.add(Command.parseFrom(record.value()));
    }
    return commands;
  }

  /** The first {@code count} records of a topic (at most 30 s of reading). */
  private static List<ConsumerRecord<String, byte[]>> read(String topic, int count) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka(), new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).hasSize(count);
      return records;
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
