package io.stepstream.server.role;

import io.stepstream.coordinator.Coordinator;
import io.stepstream.coordinator.CoordinatorTopics;
import io.stepstream.server.kafka.Topics;
import io.stepstream.gateway.execution.ExecutionReader;
import io.stepstream.proto.ExecutionState;
import java.time.Duration;
import java.util.Optional;

/** The {@code coordinator} role: the Kafka Streams applications that advance executions. */
public final class CoordinatorRole implements Role {

  private final Platform platform;
  private Coordinator coordinator;

  public CoordinatorRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    CoordinatorTopics standard = new CoordinatorTopics(topics.standardCommands(), topics.standardEvents(),
        topics.tasks(), topics.completions(), topics.stateMachines());
    // EXPRESS keeps no durable per-execution history unless its state machine's logging level asks
    // for it (ExpressLogging); what is logged stays on express.events for a short retention.
    CoordinatorTopics express = new CoordinatorTopics(topics.expressCommands(), topics.expressEvents(),
        topics.tasks(), topics.completions(), topics.stateMachines());
    coordinator = new Coordinator(platform.kafkaProperties(), standard, express, topics.prefix() + "coordinator",
        platform.stateDir().resolve("coordinator"), platform.host() + ":" + Math.max(platform.port(), 1),
        platform.instanceId());
    coordinator.start(Duration.ofSeconds(120));
    Coordinator running = coordinator;
    platform.services().publishExecutions(new ExecutionReader() {
      @Override
      public Optional<ExecutionState> find(String executionArn) {
        return running.find(executionArn);
      }

      @Override
      public Optional<String> remoteOwner(String executionArn) {
        return running.remoteOwner(executionArn);
      }
    });
  }

  /** The running coordinator (null before {@link #start()}), for callers that ask it directly. */
  public Coordinator coordinator() {
    return coordinator;
  }

  @Override
  public void close() {
    if (coordinator != null) {
      coordinator.close();
    }
  }
}
