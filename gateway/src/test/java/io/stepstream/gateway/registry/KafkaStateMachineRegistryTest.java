package io.stepstream.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.WorkflowType;
import io.stepstream.kafka.Topics;
import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaStateMachineRegistryTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @Test
  void shouldReadItsOwnWritesAndRebuildTheViewFromTheTopic() throws Exception {
    Topics topics = new Topics("registry.");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      topics.create(admin, 1, (short) 1);
    }
    StateMachineRecord first = record("a", 1, false);
    StateMachineRecord second = record("a", 2, false);
    StateMachineRecord other = record("b", 1, true);
    try (KafkaStateMachineRegistry writer = open(topics)) {
      writer.put(first).get();
      assertThat(writer.find(first.getArn())).contains(first);
      writer.put(second).get();
      writer.put(other).get();
      assertThat(writer.find(first.getArn())).contains(second);
    }

    try (KafkaStateMachineRegistry reader = open(topics)) {
      assertThat(reader.isCaughtUp()).isTrue();
      assertThat(reader.all()).containsExactly(second, other);
    }
  }

  @Test
  void shouldSeeWritesOfAnotherInstance() throws Exception {
    Topics topics = new Topics("shared.");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      topics.create(admin, 1, (short) 1);
    }
    try (KafkaStateMachineRegistry one = open(topics); KafkaStateMachineRegistry two = open(topics)) {
      StateMachineRecord record = record("seen", 1, false);
      one.put(record).get();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (two.find(record.getArn()).isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(two.find(record.getArn())).contains(record);
    }
  }

  @Test
  void shouldDecideEveryMutationOnEveryEarlierWriteOfEveryInstance() throws Exception {
    Topics topics = new Topics("counted.");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      topics.create(admin, 1, (short) 1);
    }
    int perInstance = 20;
    try (KafkaStateMachineRegistry one = open(topics); KafkaStateMachineRegistry two = open(topics)) {
      one.put(record("counter", 1, false)).get();
      // Each mutation reads the counter's revision and writes the next one: a read-decide-write that
      // two instances must never both base on the same revision.
      List<CompletableFuture<Long>> answers = new ArrayList<>();
      for (int i = 0; i < perInstance; i++) {
        answers.add(one.mutate(increment(one)));
        answers.add(two.mutate(increment(two)));
      }
      Set<Long> revisions = new HashSet<>();
      for (CompletableFuture<Long> answer : answers) {
        revisions.add(answer.get());
      }

      assertThat(revisions).hasSize(2 * perInstance).allMatch(r -> r >= 2 && r <= 1 + 2L * perInstance);
      // A mutation that writes nothing still reads the registry at its committed end.
      assertThat(two.mutate(() -> Decision.answer(two.find(record("counter", 1, false).getArn()))).get())
          .hasValueSatisfying(r -> assertThat(r.getRevision()).isEqualTo(1 + 2L * perInstance));
    }
  }

  /** Reads the counter's revision in {@code registry} and writes the next one, which it answers. */
  private static Supplier<Decision<Long>> increment(StateMachineRegistry registry) {
    return () -> {
      StateMachineRecord current = registry.find(record("counter", 1, false).getArn()).orElseThrow();
      StateMachineRecord next = current.toBuilder().setRevision(current.getRevision() + 1).build();
      return Decision.write(next, next.getRevision());
    };
  }

  private static KafkaStateMachineRegistry open(Topics topics) {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return KafkaStateMachineRegistry.open(topics.stateMachines(), props, Duration.ofSeconds(30));
  }

  private static StateMachineRecord record(String name, long revision, boolean deleted) {
    return StateMachineRecord.newBuilder()
        .setArn("arn:aws:states:us-east-1:123456789012:stateMachine:" + name)
        .setName(name)
        .setType(WorkflowType.STANDARD)
        .setDefinition("{}")
        .setRevision(revision)
        .setDeleted(deleted)
        .build();
  }
}
