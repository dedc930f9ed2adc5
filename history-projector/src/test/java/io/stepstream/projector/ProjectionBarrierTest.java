package io.stepstream.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.kafka.testkit.EmbeddedKafkaExtension;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The barrier against a real broker, with the projection's position set by hand: a read passes once
 * nothing committed is left to project below the end it saw, and only then.
 */
class ProjectionBarrierTest {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private final ProjectedOffsets offsets = new ProjectedOffsets();
  private Properties kafka;
  private ProjectionBarrier barrier;
  private KafkaProducer<String, String> writer;

  @BeforeEach
  void setUp() {
    kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    barrier = new ProjectionBarrier(kafka, "projector-barrier-test", offsets);
  }

  @AfterEach
  void tearDown() {
    barrier.close();
    if (writer != null) {
      writer.close();
    }
  }

  /**
   * The writer of the partition's last transaction died and the transaction was aborted: the
   * projector has nothing to process there and commits no new offset, yet nothing is missing.
   */
  @Test
  void shouldLetAReadPassWhenThePartitionEndsWithAnAbortedTransaction() throws Exception {
    TopicPartition partition = topic("ends-aborted");
    long first = write(partition, true);
    offsets.processed(partition.topic(), partition.partition(), first);
    write(partition, false);

    barrier.await(Set.of(partition)).get(ProjectionBarrier.WAIT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  /** A committed record the projection has not processed keeps the read waiting, aborted ones after it or not. */
  @Test
  void shouldKeepAReadWaitingForACommittedRecordNotProjectedYet() throws Exception {
    TopicPartition partition = topic("behind");
    long first = write(partition, true);
    offsets.processed(partition.topic(), partition.partition(), first);
    write(partition, true);
    write(partition, false);

    assertThatThrownBy(() -> barrier.await(Set.of(partition))
        .get(ProjectionBarrier.WAIT.toSeconds() + 5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(ProjectionUnavailableException.class);
  }

  /** Once the projection has processed the committed record, the aborted one after it holds nothing up. */
  @Test
  void shouldLetAReadPassOnceTheLastCommittedRecordIsProjected() throws Exception {
    TopicPartition partition = topic("caught-up");
    write(partition, true);
    long second = write(partition, true);
    write(partition, false);
    var passed = barrier.await(Set.of(partition));
    offsets.processed(partition.topic(), partition.partition(), second);

    passed.get(ProjectionBarrier.WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    assertThat(passed).isCompleted();
  }

  private TopicPartition topic(String name) throws Exception {
    try (Admin admin = Admin.create(kafka)) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    return new TopicPartition(name, 0);
  }

  /** Writes one record in a transaction of its own, committed or aborted; returns its offset. */
  private long write(TopicPartition partition, boolean commit) throws Exception {
    if (writer == null) {
      Properties props = new Properties();
      props.putAll(kafka);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "barrier-test-writer");
      writer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
      writer.initTransactions();
    }
    writer.beginTransaction();
    long offset = writer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", "v"))
        .get(30, TimeUnit.SECONDS).offset();
    if (commit) {
      writer.commitTransaction();
    } else {
      writer.abortTransaction();
    }
    return offset;
  }
}
