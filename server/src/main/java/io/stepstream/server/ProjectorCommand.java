package io.stepstream.server;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.stepstream.projector.ProjectorReset;
import io.stepstream.kafka.EmbeddedKafkaBroker;
import io.stepstream.kafka.Topics;
import io.stepstream.server.role.ProjectorRole;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepstream projector}: maintenance of the history projector. */
@Command(name = "projector", mixinStandardHelpOptions = true, description = "History projector maintenance.",
    subcommands = ProjectorCommand.Rebuild.class)
final class ProjectorCommand implements Runnable {

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /**
   * {@code stepstream projector rebuild}: forget the projection so that the next start of the
   * projector replays the events topics from offset 0 into fresh stores.
   */
  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = "Resets the history projector (offsets, changelogs, local state): its next start replays the "
          + "events topics from offset 0 into fresh stores. Stop every projector instance first.")
  static final class Rebuild implements Callable<Integer> {

    /** Where the cluster is: an external one, or dev mode's data directory. */
    static final class Cluster {
      @Option(names = "--bootstrap-servers", required = true, description = "Kafka bootstrap servers.")
      String bootstrapServers;

      @Option(names = "--data-dir", required = true,
          description = "Dev mode's data directory: its embedded broker is started for the reset.")
      Path dataDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Cluster cluster;

    @Option(names = "--state-dir", description = "Local state of this machine's roles (default: <data-dir>/state, "
        + "or ./.stepstream/state with --bootstrap-servers).")
    Path stateDir;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @picocli.CommandLine.Mixin
    KafkaClientOptions kafka = new KafkaClientOptions();

    @Override
    public Integer call() {
      Topics topics = new Topics(topicPrefix);
      if (cluster.dataDir != null) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(cluster.dataDir)) {
          reset(new KafkaClientOptions().properties(broker.bootstrapServers()), topics,
              stateDir != null ? stateDir : cluster.dataDir.resolve("state"));
        }
      } else {
        reset(kafka.properties(cluster.bootstrapServers), topics,
            stateDir != null ? stateDir : Path.of(".stepstream", "state"));
      }
      return 0;
    }

    private static void reset(java.util.Properties kafka, Topics topics, Path stateDir) {
      try (Admin admin = Admin.create(kafka)) {
        List<String> deleted = ProjectorReset.reset(admin, ProjectorRole.applicationId(topics),
            stateDir.resolve(ProjectorRole.STATE_DIR));
        System.out.println("projector reset: deleted " + deleted + " and its local state; the next start rebuilds "
            + "from " + topics.standardEvents() + " and " + topics.expressEvents() + " at offset 0");
      }
    }
  }
}
