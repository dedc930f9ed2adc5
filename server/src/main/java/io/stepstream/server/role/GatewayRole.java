package io.stepstream.server.role;

import io.stepstream.kafka.Failover;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.gateway.GatewayConfig;
import io.stepstream.gateway.GatewayServer;
import io.stepstream.gateway.StepFunctionsApi;
import io.stepstream.gateway.activity.ActivityActions;
import io.stepstream.gateway.activity.ActivityPolls;
import io.stepstream.gateway.activity.ActivityRegistry;
import io.stepstream.gateway.activity.ActivityTaskHolders;
import io.stepstream.gateway.activity.ActivityTaskQueue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.execution.CommandRequests;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.gateway.execution.RedriveActions;
import io.stepstream.gateway.history.HistoryActions;
import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.gateway.history.HistoryRoutes;
import io.stepstream.gateway.history.ListExecutionsAction;
import io.stepstream.gateway.history.MapRunActions;
import io.stepstream.gateway.history.ProjectorDirectory;
import io.stepstream.gateway.registry.KafkaStateMachineRegistry;
import io.stepstream.gateway.statemachine.AslDefinitionValidation;
import io.stepstream.gateway.http.MetricsEndpoint;
import io.stepstream.gateway.throttle.Throttle;
import io.stepstream.coordinator.metrics.ExecutionMetrics;
import io.stepstream.kafka.CommandPublisher;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.kafka.TopicTail;
import io.stepstream.kafka.Topics;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ReportCompletion;
import io.stepstream.worker.TestStateInvoker;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code gateway} role: the Step Functions API. Writes go to the commands topics and answer
 * with their owner's decision (replies); reads go to the history projection, held by this process
 * when it runs the projector role too, else found through the projector instances' directory. So
 * a gateway runs alone as well as next to every other role. It holds a share of the activity tasks
 * and answers the polls other gateways forward for them on the process's internal listener.
 */
public final class GatewayRole implements Role {

  /** How long a write waits for its owner's answer before the caller gets a retryable error. */
  static final Duration REPLY_TIMEOUT = Duration.ofSeconds(25);

  private final Platform platform;
  private KafkaStateMachineRegistry registry;
  private GatewayServer server;
  private CommandPublisher commands;
  private RecordWaiters<CommandReply> replies;
  private RecordWaiters<ReportCompletion> completions;
  private ProjectorDirectory directory;
  private ActivityRegistry activities;
  private ActivityTaskQueue activityTasks;
  private ActivityTaskHolders activityHolders;
  private InternalListener internal;
  private ActionRegistry internalActions;

  /** Creates the role; nothing runs before {@link #start()}. */
  public GatewayRole(Platform platform) {
    this.platform = platform;
  }

  @Override
  public void start() {
    Topics topics = platform.topics();
    registry = KafkaStateMachineRegistry.open(topics.stateMachines(), platform.kafkaProperties(),
        Duration.ofSeconds(60));
    commands = new CommandPublisher(platform.kafkaProperties(), topics.standardCommands(), topics.expressCommands(),
        "stepstream-gateway");
    // Each gateway follows one partition of the replies topic and has its replies sent there.
    int replyPartition = ThreadLocalRandom.current().nextInt(
        TopicTail.partitionCount(platform.kafkaProperties(), topics.replies()));
    replies = RecordWaiters.onPartitions(platform.kafkaProperties(), topics.replies(), Set.of(replyPartition),
        CommandReply.parser(), "replies-reader");
    replies.awaitStarted(Duration.ofSeconds(30));
    completions = RecordWaiters.onTopic(platform.kafkaProperties(), topics.completions(), ReportCompletion.parser(),
        "completions-reader");
    completions.awaitStarted(Duration.ofSeconds(30));
    Throttle throttle = new Throttle(platform.services().throttling(), platform.services().meters());
    CommandRequests requests = new CommandRequests(commands, replies, replyPartition, REPLY_TIMEOUT,
        throttle.pendingWrites());
    ExecutionActions executions = new ExecutionActions(registry, requests, commands, completions, platform.arns(),
        platform.clock(), Limits.DEFAULT, topics, throttle,
        new ExecutionMetrics(platform.services().meters()), platform.observability().spans(),
        platform.observability().logs());
    // TestState without a mock runs a function's task on the workers that serve it, as an execution's
    // task reaches them, with this gateway's reply address; a nested execution starts through StartExecution.
    TestStateInvoker testStateTasks = TestStateInvoker.create(
        (task, wait) -> requests.dispatch(topics.tasks(), task, wait),
        (machineArn, name, input) -> startForTestState(executions, machineArn, name, input), platform.clock());
    var actions = StepFunctionsApi.stateMachineActions(registry, platform.arns(), new AslDefinitionValidation(),
        testStateTasks, platform.clock());
    StepFunctionsApi.withExecutionActions(actions, executions, new RedriveActions(registry, requests, platform.clock()));

    LocalServices.Projection local = platform.services().projection();
    HistoryRoutes routes;
    HistoryReader reader = null;
    if (local != null) {
      routes = local.routes();
      reader = local.reader();
    } else {
      directory = new ProjectorDirectory(platform.kafkaProperties(), topics.instances(),
          TopicTail.partitionCount(platform.kafkaProperties(), topics.standardEvents()));
      routes = directory;
    }
    Forwarder forwarder = new Forwarder();
    StepFunctionsApi.withHistoryActions(actions,
        new HistoryActions(routes, reader, registry, forwarder, platform.clock()),
        new ListExecutionsAction(routes, reader, registry, platform.arns(), forwarder));
    StepFunctionsApi.withMapRunActions(actions,
        new MapRunActions(routes, reader, forwarder, requests, topics.mapRunCommands(), platform.clock()));

    activities = new ActivityRegistry(platform.kafkaProperties(), topics.activities());
    // The gateways share the activity tasks as a consumer group; a poll for tasks another gateway holds
    // is forwarded to that gateway's internal listener, whose address its group member carries.
    internal = platform.services().internalListener(platform);
    String activityGroup = topics.prefix() + "activity-pollers";
    activityHolders = new ActivityTaskHolders(platform.kafkaProperties(), topics.activityTasks(), activityGroup);
    activityTasks = new ActivityTaskQueue(platform.kafkaProperties(), topics.activityTasks(), activityGroup,
        ActivityTaskHolders.clientId(internal.address()));
    ActivityActions activityActions = new ActivityActions(activities,
        new ActivityPolls(activityTasks, activityHolders, forwarder, internal.address(), commands, platform.clock()),
        platform.arns(), platform.clock(), ActivityActions.LONG_POLL);
    StepFunctionsApi.withActivityActions(actions, activityActions);
    internalActions = StepFunctionsApi.internalActivityActions(activityActions);
    internal.serve(internalActions);
    server = GatewayServer.start(
        GatewayConfig.of(platform.host(), platform.port()).withAuthentication(platform.authentication()), actions.build(),
        platform.ready()::get, new MetricsEndpoint(platform.services().meters(), platform.services().meters()::scrape));
  }

  /**
   * The execution a TestState of {@code arn:aws:states:::states:startExecution} starts: through the
   * API's StartExecution, whose refusals become the task's error.
   */
  private static CompletableFuture<TestStateInvoker.Started> startForTestState(ExecutionActions executions,
      String machineArn, String name, String input) {
    ObjectNode request = Json.object().put("stateMachineArn", machineArn).put("input", input);
    if (name != null) {
      request.put("name", name);
    }
    CompletableFuture<ObjectNode> response;
    try {
      response = executions.start(request);
    } catch (ApiException e) {
      response = CompletableFuture.failedFuture(e);
    }
    return response.handle((started, error) -> {
      if (error == null) {
        return new TestStateInvoker.Started(started.get("executionArn").asText(),
            started.get("startDate").decimalValue().movePointRight(3).longValue());
      }
      Throwable cause = ApiErrors.cause(error);
      if (cause instanceof ApiException refused) {
        throw new TestStateInvoker.StartRefused(refused.type(), refused.getMessage());
      }
      throw new CompletionException(cause);
    });
  }

  /** Returns {@code http://host:port} of the running API. */
  public String endpoint() {
    return server.endpoint();
  }

  @Override
  public void close() {
    if (internal != null && internalActions != null) {
      internal.withdraw(internalActions);
    }
    for (AutoCloseable closeable : new AutoCloseable[] {server, activityTasks, activityHolders, activities, directory,
        completions, replies, commands, registry}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          // closing must not throw; the process is going away
        }
      }
    }
  }
}
