package io.stepstream.server;

import io.stepstream.kafka.Topics;
import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The AWS SDK client the end-to-end tests drive Stepstream with, and a condition waiter. */
final class SfnTestClients {

  static final String ROLE = "arn:aws:iam::123456789012:role/stepstream";

  private SfnTestClients() {}

  /** An SfnClient for a Stepstream endpoint, with dummy credentials. */
  static SfnClient client(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        // Clients send StartSyncExecution to sync-<host>; 127.0.0.1 has no such name.
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * An SfnClient signing with the given access key (the SDK's own SigV4 signer) that never retries, so
   * a refused request's error reaches the test as the server answered it.
   */
  static SfnClient signedBy(String endpoint, String accessKeyId, String secretAccessKey) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
            .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /**
   * An SfnClient that never retries: every error, 5xx included, reaches the test. For tests that count
   * what a user's first attempt gets.
   */
  static SfnClient clientWithoutRetries(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
            .retryStrategy(AwsRetryStrategy.doNotRetry()))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Waits until DescribeExecution reports {@code status} (the execution may not exist yet). */
  static DescribeExecutionResponse awaitStatus(SfnClient sfn, String executionArn, ExecutionStatus status) {
    // A started execution is known at once (read your writes): ExecutionDoesNotExist fails the test.
    return waitFor(() -> {
      DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
      return d.status() == status ? d : null;
    }, "execution " + executionArn + " to be " + status);
  }

  /** A consumer of the tasks topic positioned at its end, to see the tasks dispatched from now on. */
  static KafkaConsumer<String, byte[]> tasksConsumer(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    String topic = Topics.defaults().tasks();
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  /** Polls {@code probe} until it returns non-null (at most 90 s); never a fixed sleep in place of a condition. */
  static <T> T waitFor(Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
