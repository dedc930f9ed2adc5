package io.stepstream.server.role;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import io.stepstream.gateway.api.Arns;
import io.stepstream.server.kafka.Topics;

/**
 * What every role of one process shares: the Kafka cluster, the topic layout, ARN settings,
 * where the API listens, and whether the process is ready.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics topic names
 * @param arns region and account of ARNs
 * @param host address the API binds
 * @param port port the API binds (0 for a free one)
 * @param stateDir directory for local state (RocksDB stores); the coordinator puts its Streams state here
 * @param clock wall clock of the edge (timestamps of commands and resources)
 * @param ready set once every role has started; {@code GET /health} answers 200 from then on
 */
public record Platform(String bootstrapServers, Topics topics, Arns arns, String host, int port, Path stateDir,
                       Clock clock, AtomicBoolean ready) {

  /** Checks the components. */
  public Platform {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(arns, "arns");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(ready, "ready");
  }

  /** Returns fresh Kafka client properties holding {@code bootstrap.servers}; callers add their own. */
  public Properties kafkaProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    return props;
  }
}
