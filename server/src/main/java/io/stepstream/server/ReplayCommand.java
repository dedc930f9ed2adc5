package io.stepstream.server;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.replay.ReplayReport;
import io.stepstream.asl.replay.Replayer;
import io.stepstream.asl.definition.Definitions;
import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.HistoryEventBatch;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.kafka.Topics;
import io.stepstream.server.replay.ExecutionLog;
import io.stepstream.server.replay.ProtoJson;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stepstream replay --execution ARN}: reads the execution's history from the events topic and
 * re-runs this build's interpreter on every recorded command. Prints "deterministic" (exit 0) or the
 * first divergence (exit 1); with {@code --at ID}, prints the execution's state after that event as
 * JSON instead (exit 0). Exit 2 when the execution or its definition cannot be found.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replays an execution's history from the event log through this interpreter.")
final class ReplayCommand implements Callable<Integer> {

  @Option(names = "--execution", required = true, description = "The execution ARN (STANDARD).")
  String executionArn;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Cluster cluster;

  /** Where Kafka is: given, or found in a dev data directory. */
  static final class Cluster {
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--data-dir", description = "Data directory of a running `stepstream dev` (its broker's address).")
    Path dataDir;
  }

  @Option(names = "--at", description = "Print the execution's state right after this event id (JSON).")
  Long at;

  @Option(names = "--definition", description = "Replay against this ASL file instead of the revision the execution ran.")
  Path definitionFile;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--timeout-seconds", defaultValue = "30", description = "How long to wait for Kafka (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @picocli.CommandLine.Mixin
  KafkaClientOptions kafkaClient = new KafkaClientOptions();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Topics topics = new Topics(topicPrefix);
    Properties kafka = kafkaClient.properties(bootstrapServers());
    ExecutionLog log = new ExecutionLog(kafka, Duration.ofSeconds(timeoutSeconds));
    List<HistoryEventBatch> batches = log.batches(topics.standardEvents(), executionArn);
    if (batches.isEmpty() || batches.get(0).getEventsCount() == 0
        || !batches.get(0).getEvents(0).hasExecutionStartedEventDetails()) {
      err.println("No history for " + executionArn + " in " + topics.standardEvents());
      err.flush();
      return 2;
    }
    if (at != null) {
      try {
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
            ProtoJson.toJson(Replayer.stateAt(batches, at))));
        out.flush();
        return 0;
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        err.flush();
        return 2;
      }
    }
    StateMachineDefinition definition = definition(log, topics, batches.get(0).getEvents(0).getExecutionStartedEventDetails());
    if (definition == null) {
      err.println("No definition for " + executionArn + " in " + topics.stateMachines());
      err.flush();
      return 2;
    }
    ReplayReport report = new Replayer(new Interpreter(Limits.DEFAULT)).replay(definition, batches);
    out.println(report.summary());
    out.flush();
    return report.deterministic() ? 0 : 1;
  }

  private String bootstrapServers() throws java.io.IOException {
    if (cluster.bootstrapServers != null) {
      return cluster.bootstrapServers;
    }
    return Files.readString(cluster.dataDir.resolve(DevMode.BOOTSTRAP_FILE), StandardCharsets.UTF_8).trim();
  }

  private StateMachineDefinition definition(ExecutionLog log, Topics topics, ExecutionStartedEventDetails started)
      throws java.io.IOException {
    if (definitionFile != null) {
      return DefinitionCompiler.compile(Files.readString(definitionFile, StandardCharsets.UTF_8));
    }
    Map<String, StateMachineRecord> registry = log.registry(topics.stateMachines());
    return new Definitions().get(started.getStateMachineArn(), started.getStateMachineRevision(), registry::get);
  }
}
