package io.stepstream.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.stepstream.gateway.api.Arns;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.worker.examples.OrderSaga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.stepstream.kafka.Topics;

/** {@code stepstream dev}: an embedded Kafka broker and every role in this JVM. */
@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "Runs everything in one process with an embedded Kafka broker; data survives restarts.")
final class DevCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(DevCommand.class);

  @Option(names = "--port", defaultValue = "8083", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "./.stepstream", description = "Data directory (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--partitions", defaultValue = "2", description = "Partitions of new topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--region", defaultValue = Arns.DEFAULT_REGION, description = "Region in ARNs (default: ${DEFAULT-VALUE}).")
  String region;

  @Option(names = "--account", defaultValue = Arns.DEFAULT_ACCOUNT, description = "Account in ARNs (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--s3-endpoint", description = "S3-compatible endpoint (path-style) that Distributed Map "
      + "ItemReader and ResultWriter use, with the standard AWS credential and region chain. Without it, bucket B "
      + "and key K are the file <data-dir>/buckets/B/K.")
  java.net.URI s3Endpoint;

  @Option(names = "--function-not-found-seconds", defaultValue = "30",
      description = "A Lambda function task fails with Lambda.ResourceNotFoundException once no worker has served "
          + "its function for this many seconds (default: ${DEFAULT-VALUE}).")
  long functionNotFoundSeconds;

  @Option(names = "--example-handlers", description = "Runs the example worker's task handlers (reserve, charge, "
      + "ship, refund, release, greet) in the in-process worker.")
  boolean exampleHandlers;

  @Mixin
  ThrottleOptions throttling;

  @Mixin
  AuthenticationOptions authentication = new AuthenticationOptions();

  @Mixin
  ObservabilityOptions observability = new ObservabilityOptions();

  @Override
  public Integer call() throws Exception {
    TaskHandlers handlers = exampleHandlers ? OrderSaga.handlers(new OrderSaga.Ledger()) : TaskHandlers.none();
    DevMode dev = DevMode.start(dataDir, "127.0.0.1", port, partitions, new Arns(region, account), handlers,
        s3Endpoint, Duration.ofSeconds(functionNotFoundSeconds), throttling.settings(region),
        authentication.verifier(false, region, Clock.systemUTC()), observability.create(Topics.defaults()));
    LOG.info("Stepstream ready at {} (Kafka at {}, data in {})", dev.endpoint(), dev.bootstrapServers(),
        dataDir.toAbsolutePath().normalize());
    Shutdown.awaitThenClose(dev);
    return 0;
  }
}
