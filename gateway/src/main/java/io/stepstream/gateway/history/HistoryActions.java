package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.history.HistoryEvents;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.DistributedMaps;
import io.stepstream.gateway.api.Action;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.StateMachineRecord;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * GetExecutionHistory, DescribeExecution and DescribeStateMachineForExecution: the reads of one
 * execution, all answered from the history projection by the instance that holds the execution's
 * partition. A read arriving elsewhere is forwarded there once, to its internal listener, as
 * {@code Internal.<Action>}, which answers from its own stores or refuses with a retryable error.
 *
 * <p>Consistency: writes answer once their events are committed
 * ({@link io.stepstream.gateway.execution.CommandRequests}); a read waits until the projection holds
 * everything written to the execution's partition before it began ({@link HistoryReader#caughtUp}),
 * and every read of an execution is served by the one active task of its partition, so a read sees
 * every write that answered before it began, and a later read sees at least what an earlier one saw
 * (DescribeExecution and GetExecutionHistory read the same stores). When no instance can answer (the owner is down, partitions are moving) the
 * caller gets {@code ServiceUnavailable} (503, retried by the SDKs), never a false "does not exist".
 */
public final class HistoryActions {


  private final HistoryRoutes routes;
  private final HistoryReader history;
  private final StateMachineRegistry registry;
  private final Forwarder forwarder;
  private final Clock clock;

  /**
   * @param routes which instance holds an execution
   * @param history the projection held by this process, or null when it runs no projector
   * @param registry state machines and their revisions (DescribeStateMachineForExecution), or null
   *     for the internal listener of a process without a gateway (it answers the other actions)
   * @param forwarder reaches the instance that holds an execution
   * @param clock judges redrivability (AWS's 14-day window)
   */
  public HistoryActions(HistoryRoutes routes, HistoryReader history, StateMachineRegistry registry,
      Forwarder forwarder, Clock clock) {
    this.routes = routes;
    this.history = history;
    this.registry = registry;
    this.forwarder = forwarder;
    this.clock = clock;
  }

  /** GetExecutionHistory. */
  public CompletableFuture<ObjectNode> getExecutionHistory(ObjectNode request) {
    return route(request, "GetExecutionHistory", this::localHistory);
  }

  /** DescribeExecution. */
  public CompletableFuture<ObjectNode> describeExecution(ObjectNode request) {
    return route(request, "DescribeExecution", this::localDescribe).thenApply(response -> {
      response.remove(REVISION);
      return response;
    });
  }

  /**
   * DescribeStateMachineForExecution: the execution's state machine and revision from its owner
   * (as DescribeExecution reads it), the definition from this instance's registry.
   */
  public CompletableFuture<ObjectNode> describeStateMachineForExecution(ObjectNode request) {
    return route(request, "DescribeExecution", this::localDescribe).thenApply(this::describeStateMachine);
  }

  /** Internal.GetExecutionHistory: answers from this instance's stores. */
  public CompletableFuture<ObjectNode> localHistory(ObjectNode request) {
    String executionArn = ExecutionActions.requireExecutionArn(request).value();
    int limit = pageSize(request);
    boolean reverse = Requests.optionalBoolean(request, "reverseOrder", false);
    boolean includeData = Requests.optionalBoolean(request, "includeExecutionData", true);
    String token = Requests.optionalString(request, "nextToken");
    long after = token == null ? 0 : Tokens.historyAfter(token, executionArn, reverse);
    return reader().caughtUp(executionArn).thenApply(ignored -> {
      if (reader().summary(executionArn).isEmpty()) {
        throw doesNotExist(executionArn);
      }
      List<HistoryEvent> page = reader().events(executionArn, after, limit + 1, reverse);
      ObjectNode response = Json.object();
      ArrayNode events = response.putArray("events");
      for (HistoryEvent event : page.subList(0, Math.min(limit, page.size()))) {
        events.add(HistoryEvents.toJson(event, includeData));
      }
      if (page.size() > limit) {
        response.put("nextToken", Tokens.history(executionArn, reverse, page.get(limit - 1).getId()));
      }
      return response;
    });
  }

  /** Internal.DescribeExecution: answers from this instance's stores. */
  public CompletableFuture<ObjectNode> localDescribe(ObjectNode request) {
    String executionArn = ExecutionActions.requireExecutionArn(request).value();
    return reader().caughtUp(executionArn).thenApply(ignored -> {
      ExecutionSummary summary = reader().summary(executionArn).orElseThrow(() -> doesNotExist(executionArn));
      ObjectNode response = Summaries.describe(summary, clock.millis());
      // For DescribeStateMachineForExecution; dropped from DescribeExecution's answer.
      response.put(REVISION, summary.getStateMachineRevision());
      return response;
    });
  }

  private static final String REVISION = "stepstreamStateMachineRevision";

  private ObjectNode describeStateMachine(ObjectNode description) {
    String machineArn = description.get("stateMachineArn").textValue();
    // A Distributed Map's child runs <machine>/<label>: the Map state's processor in that revision.
    String rootArn = DistributedMaps.rootArn(machineArn);
    String labels = DistributedMaps.labels(machineArn);
    long revision = description.path(REVISION).asLong(0);
    StateMachineRecord machine = registry.findRevision(rootArn, revision)
        .or(() -> registry.find(rootArn))
        .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(machineArn));
    String definition = labels == null ? machine.getDefinition()
        : DistributedMaps.processorDefinition(machine.getDefinition(), labels);
    if (definition == null) {
      throw ApiErrors.stateMachineDoesNotExist(machineArn);
    }
    ObjectNode response = Json.object()
        .put("stateMachineArn", labels == null ? machine.getArn() : machineArn)
        .put("name", labels == null ? machine.getName() : machineArn.substring(machineArn.lastIndexOf(':') + 1))
        .put("definition", definition)
        .put("roleArn", machine.getRoleArn());
    if (labels != null) {
      response.put("mapRunArn", description.path("mapRunArn").asText())
          .put("label", labels.substring(labels.lastIndexOf('/') + 1));
    }
    response.set("updateDate", Requests.timestamp(machine.getUpdateDateMs() > 0 ? machine.getUpdateDateMs()
        : machine.getCreationDateMs()));
    response.set("loggingConfiguration", machine.getLoggingConfiguration().isEmpty()
        ? Json.object().put("level", "OFF").put("includeExecutionData", false)
        : Json.parse(machine.getLoggingConfiguration()));
    response.set("tracingConfiguration", machine.getTracingConfiguration().isEmpty()
        ? Json.object().put("enabled", false) : Json.parse(machine.getTracingConfiguration()));
    if (machine.getRevision() > 1) {
      response.put("revisionId", machine.getRevisionId());
    }
    return response;
  }

  private HistoryReader reader() {
    if (history == null) {
      throw ApiErrors.unavailable("This instance holds no history projection");
    }
    return history;
  }

  /** Answers here when this process holds the execution's partition, else forwards once to its owner. */
  private CompletableFuture<ObjectNode> route(ObjectNode request, String action, Action local) {
    return Forwarder.answer(() -> {
      String executionArn = ExecutionActions.requireExecutionArn(request).value();
      String owner = routes.ownerAddress(executionArn);
      return owner == null ? answer(local, request) : forwarder.call(owner, action, request);
    });
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<ObjectNode> answer(Action local, ObjectNode request) {
    return Forwarder.answer(() -> (CompletableFuture<ObjectNode>) local.handle(request));
  }

  static ApiException doesNotExist(String arn) {
    return new ApiException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
  }

  static int pageSize(ObjectNode request) {
    return Requests.pageSize(request);
  }
}
