package io.stepstream.server;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import picocli.CommandLine.Option;

/**
 * {@code --kafka-config FILE}: Kafka client settings (TLS, SASL, timeouts) that every client of a
 * command uses: each producer, consumer, admin client and Kafka Streams application of every role.
 * A picocli mixin, so each command that talks to an external cluster takes it the same way.
 */
final class KafkaClientOptions {

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties (Java properties format) given to every producer, consumer, admin "
          + "client and Kafka Streams application: security.protocol, ssl.*, sasl.* and the like. "
          + "bootstrap.servers comes from --bootstrap-servers.")
  Path file;

  /** The settings of the file, or none without {@code --kafka-config}; {@code bootstrap.servers} removed. */
  Map<String, String> settings() {
    if (file == null) {
      return Map.of();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read --kafka-config " + file, e);
    }
    Map<String, String> settings = new TreeMap<>();
    properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name).strip()));
    settings.remove("bootstrap.servers");
    return settings;
  }

  /** Client properties for {@code bootstrapServers} with the file's settings. */
  Properties properties(String bootstrapServers) {
    Properties properties = new Properties();
    properties.putAll(settings());
    properties.put("bootstrap.servers", bootstrapServers);
    return properties;
  }
}
