package io.stepstream.projector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector's RocksDB stores are opened with Stepstream's options ({@code StoreOptions}): checked in
 * the options file RocksDB writes for the executions store, as the projector's own configuration opens
 * it. Kafka Streams' default writes {@code optimize_filters_for_hits=true} there.
 */
class ProjectorStoreOptionsTest {

  @Test
  void shouldFilterMissesOnEveryLevelOfTheExecutionsStore(@TempDir Path stateDir) throws IOException {
    Properties kafka = new Properties();
    kafka.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    Properties props = Projector.config(kafka, "projector-options-test", stateDir, "127.0.0.1:1");

    try (TopologyTestDriver driver = new TopologyTestDriver(ProjectorTopology.build(ProjectorTopologyTest.SETTINGS), props,
        Instant.parse("2024-01-01T00:00:00Z"))) {
      assertThat(driver.getKeyValueStore(ProjectorStores.EXECUTIONS)).isNotNull();
      Path options = optionsFile(stateDir, ProjectorStores.EXECUTIONS);

      assertThat(Files.readAllLines(options)).map(String::strip)
          .contains("optimize_filters_for_hits=false")
          .doesNotContain("optimize_filters_for_hits=true");
    }
  }

  /** The newest options file RocksDB wrote for the store of that name. */
  private static Path optionsFile(Path stateDir, String store) throws IOException {
    try (Stream<Path> files = Files.walk(stateDir)) {
      return files.filter(file -> file.getParent().getFileName().toString().equals(store)
              && file.getFileName().toString().startsWith("OPTIONS-"))
          .max(Path::compareTo).orElseThrow(() -> new AssertionError("no RocksDB options file for " + store));
    }
  }
}
