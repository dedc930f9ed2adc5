package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.Action;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.execution.ExecutionReader;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.StateMachineRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GetExecutionHistory, DescribeExecution and DescribeStateMachineForExecution, answered from the
 * history projector by the instance that holds the execution: a read arriving elsewhere is
 * forwarded to it once (as {@code Internal.<Action>}, which answers locally and never forwards).
 *
 * <p>The coordinator's store stays a source for an execution the projector has not caught up with:
 * DescribeExecution answers from whichever is further along, and GetExecutionHistory waits
 * (without blocking a thread, at most {@link #CATCH_UP}) until the projection holds every event
 * the coordinator had applied when the request arrived.
 */
public final class HistoryActions {

  /** The longest a history read waits for the projection to catch up with the coordinator. */
  static final Duration CATCH_UP = Duration.ofSeconds(5);
  private static final long POLL_MS = 10;
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  private final HistoryReader history;
  private final ExecutionReader executions;
  private final StateMachineRegistry registry;
  private final Forwarder forwarder;
  private final Clock clock;

  /**
   * @param history the projector's reads on this instance
   * @param executions the coordinator's reads on this instance (executions not projected yet)
   * @param registry state machines and their revisions
   * @param forwarder reaches the instance that holds an execution
   * @param clock judges redrivability (AWS's 14-day window)
   */
  public HistoryActions(HistoryReader history, ExecutionReader executions, StateMachineRegistry registry,
      Forwarder forwarder, Clock clock) {
    this.clock = clock;
    this.history = history;
    this.executions = executions;
    this.registry = registry;
    this.forwarder = forwarder;
  }

  /** GetExecutionHistory. */
  public CompletableFuture<ObjectNode> getExecutionHistory(ObjectNode request) {
    return route(request, "GetExecutionHistory", this::localHistory);
  }

  /**
   * DescribeExecution: from the coordinator's state where it is (the freshest there is: a projection
   * may not hold an execution started a moment ago), else from the projection's owner.
   */
  public CompletableFuture<ObjectNode> describeExecution(ObjectNode request) {
    String executionArn = ExecutionArns.require(request);
    if (executions.find(executionArn).isEmpty()) {
      Optional<String> coordinator = executions.remoteOwner(executionArn);
      if (coordinator.isPresent()) {
        return forwarder.callOr(coordinator.get(), "DescribeExecution", request,
            () -> route(request, "DescribeExecution", this::localDescribe));
      }
      return route(request, "DescribeExecution", this::localDescribe);
    }
    return Forwarder.answer(() -> localDescribe(request));
  }

  /** DescribeStateMachineForExecution. */
  public CompletableFuture<ObjectNode> describeStateMachineForExecution(ObjectNode request) {
    return route(request, "DescribeStateMachineForExecution", this::localDescribeStateMachine);
  }

  /** Internal.GetExecutionHistory: answers from this instance's stores. */
  public CompletableFuture<ObjectNode> localHistory(ObjectNode request) {
    String executionArn = ExecutionArns.require(request);
    int limit = pageSize(request);
    boolean reverse = flag(request, "reverseOrder", false);
    boolean includeData = flag(request, "includeExecutionData", true);
    String token = Requests.optionalString(request, "nextToken");
    long after = token == null ? 0 : Tokens.historyAfter(token, executionArn, reverse);
    return caughtUp(executionArn).thenApply(summary -> {
      if (summary.isEmpty()) {
        throw ExecutionArns.doesNotExist(executionArn);
      }
      List<HistoryEvent> page = history.events(executionArn, after, limit + 1, reverse);
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
    String executionArn = ExecutionArns.require(request);
    ExecutionSummary summary = freshest(executionArn).orElseThrow(() -> ExecutionArns.doesNotExist(executionArn));
    return CompletableFuture.completedFuture(Summaries.describe(summary, clock.millis()));
  }

  /** Internal.DescribeStateMachineForExecution: answers from this instance's stores. */
  public CompletableFuture<ObjectNode> localDescribeStateMachine(ObjectNode request) {
    String executionArn = ExecutionArns.require(request);
    ExecutionSummary summary = freshest(executionArn).orElseThrow(() -> ExecutionArns.doesNotExist(executionArn));
    StateMachineRecord machine = registry.findRevision(summary.getStateMachineArn(), summary.getStateMachineRevision())
        .or(() -> registry.find(summary.getStateMachineArn()))
        .orElseThrow(() -> ApiErrors.stateMachineDoesNotExist(summary.getStateMachineArn()));
    ObjectNode response = Json.object()
        .put("stateMachineArn", machine.getArn())
        .put("name", machine.getName())
        .put("definition", machine.getDefinition())
        .put("roleArn", machine.getRoleArn());
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
    return CompletableFuture.completedFuture(response);
  }

  /** The projection or the coordinator's state, whichever has applied more events. */
  private Optional<ExecutionSummary> freshest(String executionArn) {
    Optional<ExecutionSummary> projected = history.summary(executionArn);
    Optional<ExecutionState> live = executions.find(executionArn);
    if (live.isPresent() && (projected.isEmpty() || live.get().getLastEventId() > projected.get().getLastEventId())) {
      return Optional.of(Summaries.of(live.get()));
    }
    return projected;
  }

  /**
   * The projected summary once it holds every event the coordinator here had applied at the call
   * (or after {@link #CATCH_UP}); polled on a timer, never blocking the caller's thread.
   */
  private CompletableFuture<Optional<ExecutionSummary>> caughtUp(String executionArn) {
    long target = executions.find(executionArn).map(ExecutionState::getLastEventId).orElse(0L);
    CompletableFuture<Optional<ExecutionSummary>> result = new CompletableFuture<>();
    poll(executionArn, target, System.nanoTime() + CATCH_UP.toNanos(), result);
    return result;
  }

  private void poll(String executionArn, long target, long deadline,
      CompletableFuture<Optional<ExecutionSummary>> result) {
    try {
      Optional<ExecutionSummary> summary = history.summary(executionArn);
      long applied = summary.map(ExecutionSummary::getLastEventId).orElse(0L);
      if (applied >= target || System.nanoTime() > deadline) {
        result.complete(summary);
        return;
      }
      CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS)
          .execute(() -> poll(executionArn, target, deadline, result));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }

  /**
   * Answers here when this instance holds the execution (or nobody knows who does), else forwards
   * once. A forward that cannot reach the owner is answered here: the partitions may just have
   * moved to this instance.
   */
  private CompletableFuture<ObjectNode> route(ObjectNode request, String action, Action local) {
    String executionArn = ExecutionArns.require(request);
    Optional<String> owner = history.remoteOwner(executionArn);
    if (owner.isEmpty()) {
      return answer(local, request);
    }
    return forwarder.callOr(owner.get(), action, request, () -> answer(local, request));
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<ObjectNode> answer(Action local, ObjectNode request) {
    return Forwarder.answer(() -> (CompletableFuture<ObjectNode>) local.handle(request));
  }

  static int pageSize(ObjectNode request) {
    int maxResults = Requests.optionalInt(request, "maxResults", 0);
    if (maxResults < 0 || maxResults > MAX_PAGE) {
      throw ApiErrors.validation("'" + maxResults + "'", "maxResults",
          "Member must have value less than or equal to " + MAX_PAGE);
    }
    return maxResults == 0 ? DEFAULT_PAGE : maxResults;
  }

  private static boolean flag(ObjectNode request, String field, boolean absent) {
    JsonNode node = request.get(field);
    if (node == null || node.isNull()) {
      return absent;
    }
    if (!node.isBoolean()) {
      throw ApiErrors.serialization("Expected a boolean for member '" + field + "'");
    }
    return node.booleanValue();
  }
}
