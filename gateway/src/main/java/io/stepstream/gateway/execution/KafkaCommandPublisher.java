package io.stepstream.gateway.execution;

import io.stepstream.proto.Command;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes commands with an idempotent producer (acks=all), keyed by execution ARN. */
public final class KafkaCommandPublisher implements CommandPublisher {

  private final KafkaProducer<String, byte[]> producer;
  private final String standardTopic;
  private final String expressTopic;

  /**
   * @param kafka client properties with at least bootstrap.servers
   */
  public KafkaCommandPublisher(Properties kafka, String standardTopic, String expressTopic) {
    Properties props = new Properties();
    props.putAll(kafka);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // A short linger batches commands under load without adding noticeable latency.
    props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
    this.standardTopic = standardTopic;
    this.expressTopic = expressTopic;
  }

  @Override
  public CompletableFuture<Void> send(boolean express, Command command) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(express ? expressTopic : standardTopic, command.getExecutionArn(),
        command.toByteArray()), (metadata, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else {
            done.complete(null);
          }
        });
    return done;
  }

  @Override
  public void close() {
    producer.close();
  }
}
