package io.stepstream.server;

import io.stepstream.kafka.Topics;
import io.stepstream.server.telemetry.Observability;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code dev} and {@code run} that say where traces and execution logs go. */
final class ObservabilityOptions {

  @Option(names = "--otlp-endpoint", description = "OpenTelemetry collector (OTLP/HTTP, e.g. http://127.0.0.1:4318) "
      + "that receives the spans of state machines whose tracingConfiguration is enabled. Without it nothing is "
      + "traced.")
  URI otlpEndpoint;

  @Option(names = "--execution-log", paramLabel = "LOG_GROUP=DESTINATION",
      description = "Where the execution log records (loggingConfiguration) of a CloudWatch Logs log group go: "
          + "stdout, file:PATH (JSON lines) or topic:NAME (Kafka). LOG_GROUP * stands for every group not named. "
          + "Repeatable. Default: the topic <prefix>execution-logs.")
  List<String> executionLogs = new ArrayList<>();

  /** The observability these options ask for. */
  Observability create(Topics topics) {
    return Observability.create(otlpEndpoint, executionLogs, topics.executionLogs());
  }
}
