package io.stepstream.server;

import io.stepstream.gateway.api.Arns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A {@code stepstream dev} server and an AWS SDK client of it for one test class: started before its
 * tests on a fresh data directory, closed (and the directory deleted) after them. Register it as
 * {@code @RegisterExtension static final DevServer SERVER = DevServer.start(...)}.
 */
final class DevServer implements BeforeAllCallback, AfterAllCallback {

  private final Function<Path, DevMode> start;
  private final Function<String, SfnClient> client;
  private Path dataDir;
  private DevMode dev;
  private SfnClient sfn;

  private DevServer(Function<Path, DevMode> start, Function<String, SfnClient> client) {
    this.start = start;
    this.client = client;
  }

  /**
   * A dev server with default settings on 127.0.0.1 and a free port.
   *
   * @param partitions partitions per topic
   * @param client the SDK client to make for its endpoint (e.g. {@link SfnTestClients#client})
   */
  static DevServer start(int partitions, Function<String, SfnClient> client) {
    return new DevServer(dir -> DevMode.start(dir, "127.0.0.1", 0, partitions, Arns.defaults()), client);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("stepstream-" + context.getRequiredTestClass().getSimpleName());
    dev = start.apply(dataDir);
    sfn = client.apply(dev.endpoint());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (sfn != null) {
        sfn.close();
      }
    } finally {
      if (dev != null) {
        dev.close();
      }
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(DevServer::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The running server. */
  DevMode dev() {
    return dev;
  }

  /** The SDK client of the server. */
  SfnClient sfn() {
    return sfn;
  }
}
