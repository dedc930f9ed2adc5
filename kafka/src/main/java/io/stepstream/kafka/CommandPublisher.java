package io.stepstream.kafka;

import io.stepstream.proto.Command;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes commands to the commands topic of their execution's type ({@link ExecutionArn#isExpress}),
 * keyed by execution ARN: the one way commands enter the log from outside the coordinator (the
 * gateway's API writes, the workers' task results). Idempotent producer, acks=all, so a command is
 * written once and survives a broker's loss once acknowledged. A command goes to the newest
 * {@link CommandGenerations generation} of its topic. Thread-safe; never blocks the caller.
 */
public final class CommandPublisher implements AutoCloseable {

  private final KafkaProducer<String, byte[]> producer;
  private final String standardTopic;
  private final String expressTopic;
  private final CommandGenerations generations;

  /**
   * @param kafka client properties with at least bootstrap.servers
   * @param clientId the producer's client id (how brokers and metrics name it)
   */
  public CommandPublisher(Properties kafka, String standardTopic, String expressTopic, String clientId) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // A short linger batches commands under load without adding noticeable latency.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.standardTopic = standardTopic;
    this.expressTopic = expressTopic;
    this.generations = CommandGenerations.follow(kafka, standardTopic, expressTopic);
  }

  /**
   * Sends a command keyed by its execution ARN.
   *
   * @return completes once the command is durable on Kafka (on the producer's thread)
   */
  public CompletableFuture<Void> send(Command command) {
    String topic = generations.current(ExecutionArn.isExpress(command.getExecutionArn()) ? expressTopic : standardTopic);
    return send(topic, command.getExecutionArn(), command.toByteArray());
  }

  /**
   * Sends a record to another commands topic (the map-run service's), with the same guarantees.
   *
   * @return completes once the record is durable on Kafka (on the producer's thread)
   */
  public CompletableFuture<Void> send(String topic, String key, byte[] value) {
    return send(new ProducerRecord<>(topic, key, value));
  }

  /**
   * Sends a record to one partition of a topic (a reply to the partition its caller follows), with
   * the same guarantees.
   *
   * @return completes once the record is durable on Kafka (on the producer's thread)
   */
  public CompletableFuture<Void> send(String topic, int partition, String key, byte[] value) {
    return send(new ProducerRecord<>(topic, partition, key, value));
  }

  /**
   * Sends a record with headers (an execution log record and its log group) to any topic.
   *
   * @return completes once the record is durable on Kafka (on the producer's thread)
   */
  public CompletableFuture<Void> send(String topic, String key, byte[] value,
      Iterable<org.apache.kafka.common.header.Header> headers) {
    return send(new ProducerRecord<>(topic, null, key, value, headers));
  }

  private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(record,
        (metadata, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else {
            done.complete(null);
          }
        });
    return done;
  }

  /** Waits until every command sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    generations.close();
    producer.close();
  }
}
