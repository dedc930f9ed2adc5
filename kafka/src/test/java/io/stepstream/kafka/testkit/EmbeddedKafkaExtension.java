package io.stepstream.kafka.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import io.stepstream.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that runs one {@link EmbeddedKafkaBroker} per test class, in a fresh
 * temporary directory deleted afterwards.
 *
 * <p>Register it on a static field so tests can reach the broker:
 * <pre>{@code
 * @RegisterExtension
 * static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * ... KAFKA.bootstrapServers() ...
 * }</pre>
 * Test and lifecycle methods may also declare an {@link EmbeddedKafkaBroker} parameter.
 * Test classes share nothing, so give each test its own topics or consumer groups when the class
 * has several tests. {@link #restart()} stops and starts the broker on the same directory, for
 * tests of durability across restarts.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private final Map<String, String> overrides;
  private Path dataDir;
  private EmbeddedKafkaBroker broker;

  /** Creates the extension with the broker's default settings. */
  public EmbeddedKafkaExtension() {
    this(Map.of());
  }

  /**
   * Creates the extension with extra broker properties.
   *
   * @param overrides Kafka server properties that replace the broker's defaults
   */
  public EmbeddedKafkaExtension(Map<String, String> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("stepstream-kafka-");
    broker = EmbeddedKafkaBroker.start(dataDir, 0, overrides);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      broker = null;
      deleteRecursively(dataDir);
    }
  }

  /**
   * Returns the running broker.
   *
   * @throws IllegalStateException outside the test class's lifetime
   */
  public EmbeddedKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("The embedded Kafka broker runs only while the test class runs");
    }
    return broker;
  }

  /** Returns the running broker's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /**
   * Stops the broker and starts it again on the same directory and port, keeping all data.
   *
   * @return the restarted broker (also returned by {@link #broker()} from now on)
   */
  public EmbeddedKafkaBroker restart() {
    int port = broker().port();
    broker.close();
    broker = EmbeddedKafkaBroker.start(dataDir, port, overrides);
    return broker;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return broker();
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
