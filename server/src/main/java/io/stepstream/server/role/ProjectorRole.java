package io.stepstream.server.role;

import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.projector.ListCursor;
import io.stepstream.projector.Projector;
import io.stepstream.projector.ProjectorSettings;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.server.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import java.util.Optional;

/** The {@code projector} role: the history projector over both events topics, read by the gateway. */
public final class ProjectorRole implements Role {

  /** The projector's application id after the topic prefix. */
  public static final String APPLICATION_ID = "projector";
  /** The projector's directory under the platform's state directory. */
  public static final String STATE_DIR = "projector";

  private final Platform platform;
  private Projector projector;

  public ProjectorRole(Platform platform) {
    this.platform = platform;
  }

  /** The projector's Kafka Streams application id for a topic layout. */
  public static String applicationId(Topics topics) {
    return topics.prefix() + APPLICATION_ID;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    ProjectorSettings settings = ProjectorSettings.of(List.of(topics.standardEvents(), topics.expressEvents()));
    Properties kafka = platform.kafkaProperties();
    // Static membership, as the coordinator: a restart after a crash takes the partitions back at once.
    kafka.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        applicationId(topics) + "-" + platform.instanceId());
    projector = new Projector(kafka, settings, applicationId(topics),
        platform.stateDir().resolve(STATE_DIR), platform.host() + ":" + Math.max(platform.port(), 1));
    projector.start(Duration.ofSeconds(120));
    platform.services().publishHistory(new Reader(projector));
  }

  @Override
  public void close() {
    if (projector != null) {
      projector.close();
    }
  }

  /** The gateway's view of the projector. */
  private record Reader(Projector projector) implements HistoryReader {

    @Override
    public Optional<String> remoteOwner(String executionArn) {
      return projector.remoteOwner(executionArn);
    }

    @Override
    public List<String> otherInstances() {
      return projector.otherInstances();
    }

    @Override
    public Optional<ExecutionSummary> summary(String executionArn) {
      return projector.summary(executionArn);
    }

    @Override
    public List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse) {
      return projector.events(executionArn, after, limit, reverse);
    }

    @Override
    public List<ExecutionSummary> executions(String stateMachineArn, ExecutionStatus status, long afterStartMs,
        String afterArn, int limit) {
      return projector.executions(stateMachineArn, status,
          afterArn == null ? null : new ListCursor(afterStartMs, afterArn), limit);
    }
  }
}
