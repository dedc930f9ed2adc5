package io.stepstream.server.role;

import java.time.Duration;

import io.stepstream.asl.interpreter.Limits;
import io.stepstream.gateway.GatewayConfig;
import io.stepstream.gateway.activity.ActivityActions;
import io.stepstream.gateway.activity.ActivityRegistry;
import io.stepstream.gateway.activity.ActivityTaskQueue;
import io.stepstream.gateway.execution.Completions;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.gateway.execution.RedriveActions;
import io.stepstream.gateway.execution.KafkaCommandPublisher;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.history.HistoryActions;
import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.gateway.history.ListExecutionsAction;
import io.stepstream.gateway.GatewayServer;
import io.stepstream.gateway.StepFunctionsApi;
import io.stepstream.gateway.registry.KafkaStateMachineRegistry;
import io.stepstream.gateway.statemachine.AslDefinitionValidation;

/** The {@code gateway} role: the Step Functions API over the Kafka-backed registry. */
public final class GatewayRole implements Role {

  private final Platform platform;
  private KafkaStateMachineRegistry registry;
  private GatewayServer server;
  private KafkaCommandPublisher commands;
  private Completions completions;
  private ActivityRegistry activities;
  private ActivityTaskQueue activityTasks;

  /** Creates the role; nothing runs before {@link #start()}. */
  public GatewayRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    registry = KafkaStateMachineRegistry.open(platform.topics().stateMachines(), platform.kafkaProperties(),
        Duration.ofSeconds(60));
    var actions = StepFunctionsApi.stateMachineActions(registry, platform.arns(), new AslDefinitionValidation(),
        platform.clock());
    commands = new KafkaCommandPublisher(platform.kafkaProperties(), platform.topics().standardCommands(),
        platform.topics().expressCommands());
    completions = new Completions(platform.kafkaProperties(), platform.topics().completions());
    // Requests that need an execution's state go to the instance whose coordinator holds it.
    Forwarder forwarder = new Forwarder();
    ExecutionActions executions = new ExecutionActions(registry, commands, platform.services().executions(),
        completions, platform.arns(), platform.clock(), Limits.DEFAULT, forwarder);
    HistoryReader history = platform.services().history();
    if (history == null) {
      StepFunctionsApi.withExecutionActions(actions, executions);
    } else {
      StepFunctionsApi.withExecutionActions(actions, executions,
          new HistoryActions(history, platform.services().executions(), registry, forwarder,
              platform.clock()),
          new ListExecutionsAction(history, registry, platform.arns(), forwarder));
    }
    StepFunctionsApi.withRedriveActions(actions, new RedriveActions(registry, commands, platform.services().executions(),
        platform.clock(), forwarder));
    activities = new ActivityRegistry(platform.kafkaProperties(), platform.topics().activities());
    activityTasks = new ActivityTaskQueue(platform.kafkaProperties(), platform.topics().activityTasks(),
        platform.topics().prefix() + "activity-pollers");
    StepFunctionsApi.withActivityActions(actions, new ActivityActions(activities, activityTasks, commands,
        platform.arns(), platform.clock(), ActivityActions.LONG_POLL));
    server = GatewayServer.start(GatewayConfig.of(platform.host(), platform.port()), actions.build(),
        platform.ready()::get);
  }

  /** Returns {@code http://host:port} of the running API. */
  public String endpoint() {
    return server.endpoint();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (activityTasks != null) {
      activityTasks.close();
    }
    if (activities != null) {
      activities.close();
    }
    if (completions != null) {
      completions.close();
    }
    if (commands != null) {
      commands.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
