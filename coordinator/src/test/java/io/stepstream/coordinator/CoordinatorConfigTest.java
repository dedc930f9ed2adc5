package io.stepstream.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.kafka.StoreOptions;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoordinatorConfigTest {

  /** An aborted registry write (one that lost to another instance's) is never a definition to run. */
  @ParameterizedTest
  @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
  void shouldReadTheRegistryCommittedOnly(String guarantee) {
    assertThat(config(guarantee).getGlobalConsumerConfigs("client").get(ConsumerConfig.ISOLATION_LEVEL_CONFIG))
        .isEqualTo("read_committed");
  }

  /** The execution store is read for every new execution: a miss must be answered by Bloom filters. */
  @ParameterizedTest
  @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
  void shouldOpenItsStoresWithStepstreamsOptions(String guarantee) {
    assertThat(config(guarantee).getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(StoreOptions.class);
  }

  private static StreamsConfig config(String guarantee) {
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    return new StreamsConfig(Coordinator.config(kafka, "app", Path.of("state"), guarantee, null));
  }
}
