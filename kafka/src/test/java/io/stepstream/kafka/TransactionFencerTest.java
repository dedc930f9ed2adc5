package io.stepstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member of an exactly-once application's group dies with a transaction open: the fencer aborts
 * it once the member's session times out, long before the transaction's own timeout, and never while
 * the member lives.
 */
class TransactionFencerTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  /** Named as Kafka Streams names a stream thread's clients: {@code <application id>-<process id>}. */
  private static final String PREFIX = "fenced-app-3f1c9a52-0000-4000-8000-000000000001";
  private static final String SURVIVOR = "fenced-app-3f1c9a52-0000-4000-8000-000000000002";

  @Test
  void shouldNameTheTransactionalIdOfAStreamThreadFromItsConsumer() {
    assertThat(TransactionFencer.transactionalId(PREFIX + "-StreamThread-2-consumer")).isEqualTo(PREFIX + "-2");
    assertThat(TransactionFencer.transactionalId(PREFIX + "-StreamThread-2-restore-consumer")).isNull();
    assertThat(TransactionFencer.transactionalId("stepstream-worker")).isNull();
  }

  @Test
  void shouldAbortTheOpenTransactionOfAMemberThatLeftItsGroup() throws Exception {
    String group = "fenced-app";
    String input = "fencer-in";
    String output = "fencer-out";
    TopicPartition out = new TopicPartition(output, 0);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1))).all().get();

      // The member: a stream thread's consumer in the group (static membership, as every role has) and
      // its transactional producer, with a transaction open and a timeout far beyond this test.
      KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps(group, PREFIX, 1));
      consumer.subscribe(List.of(input));
      waitFor(() -> {
        consumer.poll(Duration.ofMillis(100));
        return !consumer.assignment().isEmpty();
      }, "the member to join its group");
      // Another instance's stream thread, which lives on (a group whose members all died has no one
      // left to fence for it).
      KafkaConsumer<String, String> survivor = new KafkaConsumer<>(consumerProps(group, SURVIVOR, 2));
      survivor.subscribe(List.of(input));
      waitFor(() -> {
        consumer.poll(Duration.ofMillis(100));
        survivor.poll(Duration.ofMillis(100));
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size() == 2;
      }, "both members to be in the group");
      KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(PREFIX + "-1"));
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(output, "k", "uncommitted")).get();

      try (TransactionFencer fencer = TransactionFencer.start(kafka())) {
        fencer.watch(group);
        // Alive: several looks at the group later, the transaction is still open.
        for (int i = 0; i < 6; i++) {
          consumer.poll(Duration.ofMillis(250));
          survivor.poll(Duration.ofMillis(250));
        }
        assertThat(stableOffset(admin, out)).isZero();

        // Dead: no more heartbeats, no LeaveGroup (a static member's close sends none), the producer
        // abandoned mid-transaction as kill -9 would leave it.
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        waitFor(() -> {
          survivor.poll(Duration.ofMillis(100));
          return stableOffset(admin, out) > 0;
        }, "the abandoned transaction to be aborted");
      }
      survivor.close();
      assertThatThrownBy(producer::commitTransaction).isInstanceOf(KafkaException.class);
      producer.close(Duration.ZERO);
    }
  }

  private static long stableOffset(Admin admin, TopicPartition partition) {
    try {
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest()),
          new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition).get().offset();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Properties kafka() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    return props;
  }

  private static Properties consumerProps(String group, String prefix, int instance) {
    Properties props = kafka();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-instance-" + instance);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, prefix + "-StreamThread-1-consumer");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    Failover.consumer(props);
    return props;
  }

  private static Properties producerProps(String transactionalId) {
    Properties props = kafka();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits for a condition for at most two minutes: far less than the abandoned transaction's timeout. */
  private static void waitFor(Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
