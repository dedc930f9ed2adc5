package io.stepstream.server.role;

import io.stepstream.coordinator.Coordinator;
import io.stepstream.coordinator.CoordinatorTopics;
import io.stepstream.coordinator.throttle.TransitionThrottle;
import io.stepstream.gateway.throttle.ThrottleSettings;
import io.stepstream.coordinator.ExecutionTelemetry;
import io.stepstream.kafka.CommandGenerations;
import io.stepstream.kafka.Topics;
import java.time.Duration;

/**
 * The {@code coordinator} role: the Kafka Streams applications that advance executions, one per
 * execution type and generation of its commands topic; a generation created later (by {@code
 * stepstream partitions}) is started when it appears.
 */
public final class CoordinatorRole implements Role {

  private final Platform platform;
  private Coordinator coordinator;
  private CommandGenerations generations;

  public CoordinatorRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    // STANDARD answers API writes itself, in the transaction of their events; EXPRESS (at least once)
    // leaves its answers to the projector (see CoordinatorTopics#replies).
    CoordinatorTopics standard = new CoordinatorTopics(topics.standardCommands(), topics.standardEvents(),
        topics.tasks(), topics.completions(), topics.stateMachines(), topics.mapRunCommands(),
        topics.standardCommands(), topics.expressCommands(), topics.replies());
    // EXPRESS keeps no durable per-execution history unless its state machine's logging level asks
    // for it (ExpressLogging); what is logged stays on express.events for a short retention.
    CoordinatorTopics express = new CoordinatorTopics(topics.expressCommands(), topics.expressEvents(),
        topics.tasks(), topics.completions(), topics.stateMachines(), topics.mapRunCommands(),
        topics.standardCommands(), topics.expressCommands(), null);
    coordinator = new Coordinator(platform.streamsProperties(), standard, express, topics.prefix() + "coordinator",
        platform.stateDir().resolve("coordinator"), platform.instanceId(), platform.services().meters(),
        new ExecutionTelemetry(platform.observability().spans(), platform.observability().logs()),
        transitionThrottle(platform.services().throttling()));
    coordinator.start(Duration.ofSeconds(120));
    platform.services().fencer(platform).watch(Coordinator.applicationId(topics.prefix() + "coordinator", false, 0));
    generations = CommandGenerations.follow(platform.kafkaProperties(), topics.standardCommands(),
        topics.expressCommands());
    generations.onGeneration(this::startGeneration);
  }

  private void startGeneration(CommandGenerations.Generation generation) {
    if (generation.number() == 0) {
      return;
    }
    String previous = CommandGenerations.topic(generation.base(), generation.number() - 1);
    boolean express = generation.base().equals(platform.topics().expressCommands());
    coordinator.startGeneration(express, generation.number(), generation.topic(), generations.partitions(previous),
        Duration.ofSeconds(120));
    if (!express) {
      platform.services().fencer(platform).watch(
          Coordinator.applicationId(platform.topics().prefix() + "coordinator", false, generation.number()));
    }
  }

  /** This instance's share of the account's StateTransition quota, or none with throttling off. */
  private static TransitionThrottle transitionThrottle(ThrottleSettings settings) {
    return settings.enabled()
        ? TransitionThrottle.of(settings.stateTransitions().burst(), settings.stateTransitions().perSecond(),
            settings.gateways())
        : TransitionThrottle.NONE;
  }

  /** The running coordinator (null before {@link #start()}), for callers that ask it directly. */
  public Coordinator coordinator() {
    return coordinator;
  }

  @Override
  public void close() {
    if (generations != null) {
      generations.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }
}
