package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.registry.StateMachineRegistry;
import io.stepstream.gateway.statemachine.StateMachineTargets;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.StateMachineRecord;
import io.stepstream.proto.WorkflowType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ListExecutions by scatter-gather: executions are spread over the projector instances by execution
 * ARN, each keeps its own newest-first listing per state machine, so every instance returns its
 * first {@code n + 1} after the cursor and this one merges them and keeps {@code n} (the extra one
 * says whether a next page exists). Each share says which partitions it covers; a page is answered
 * only when the shares cover every partition, else the caller gets {@code ServiceUnavailable} (503,
 * retried by the SDKs): a listing never silently leaves out the executions of a partition that is
 * moving. Cost: one local range scan per partition and one request per
 * other instance per page; the alternative, a listing re-keyed by state machine, would put every
 * execution of a busy state machine in one partition.
 */
public final class ListExecutionsAction {

  private static final List<String> REDRIVE_FILTERS = List.of("REDRIVEN", "NOT_REDRIVEN");
  private static final List<String> STATUSES = List.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED",
      "PENDING_REDRIVE");
  private static final Comparator<JsonNode> NEWEST_FIRST = Comparator
      .comparing((JsonNode item) -> item.get("startDate").decimalValue()).reversed()
      .thenComparing(item -> item.get("executionArn").textValue());

  private final HistoryRoutes routes;
  private final HistoryReader history;
  private final Forwarder forwarder;
  private final StateMachineTargets targets;

  /**
   * @param history the projection held by this process, or null when it runs no projector
   */
  public ListExecutionsAction(HistoryRoutes routes, HistoryReader history, StateMachineRegistry registry, Arns arns,
      Forwarder forwarder) {
    this.routes = routes;
    this.history = history;
    this.forwarder = forwarder;
    // Listings never start anything through an alias: no draw is ever taken.
    this.targets = registry == null ? null : new StateMachineTargets(registry, arns, () -> {
      throw new IllegalStateException("a listing draws no alias route");
    });
  }

  /** ListExecutions. */
  public CompletableFuture<ObjectNode> listExecutions(ObjectNode request) {
    String mapRunArn = Requests.optionalString(request, "mapRunArn");
    if (mapRunArn != null) {
      if (Requests.optionalString(request, "stateMachineArn") != null) {
        throw new ApiException("ValidationException", "Specify either a stateMachineArn or a mapRunArn, not both");
      }
      if (!io.stepstream.asl.maprun.MapRunNames.isMapRunArn(mapRunArn)) {
        throw ApiErrors.invalidArn("Resource type not valid in this context: " + mapRunArn);
      }
      // A map run's children are listed under its ARN (see the projector's listing keys).
      return list(request, mapRunArn, null);
    }
    // A version or alias ARN lists the executions started through it (the projector lists them under it too).
    String machineArn = Requests.requiredString(request, "stateMachineArn");
    return targets.forListing(machineArn).thenCompose(machine -> list(request, machineArn, machine));
  }

  private CompletableFuture<ObjectNode> list(ObjectNode request, String machineArn, StateMachineRecord machine) {
    if (machine != null && machine.getType() == WorkflowType.EXPRESS) {
      throw new ApiException("StateMachineTypeNotSupported",
          "This operation is not supported by this type of state machine");
    }
    String statusFilter = Requests.optionalString(request, "statusFilter");
    if (statusFilter != null && !STATUSES.contains(statusFilter)) {
      throw ApiErrors.validation("'" + statusFilter + "'", "statusFilter",
          "Member must satisfy enum value set: " + STATUSES);
    }
    String redriveFilter = Requests.optionalString(request, "redriveFilter");
    if (redriveFilter != null && !REDRIVE_FILTERS.contains(redriveFilter)) {
      throw ApiErrors.validation("'" + redriveFilter + "'", "redriveFilter",
          "Member must satisfy enum value set: " + REDRIVE_FILTERS);
    }
    int limit = HistoryActions.pageSize(request);
    String token = Requests.optionalString(request, "nextToken");
    ObjectNode query = Json.object().put("stateMachineArn", machineArn).put("limit", limit + 1);
    if (statusFilter != null) {
      query.put("statusFilter", statusFilter);
    }
    if (redriveFilter != null) {
      query.put("redriveFilter", redriveFilter);
    }
    // The token names the filters it was issued for: a page of another listing is refused.
    String filters = statusFilter + (redriveFilter == null ? "" : "/" + redriveFilter);
    if (token != null) {
      String[] after = Tokens.executionsAfter(token, machineArn, filters);
      query.put("afterStartMs", Long.parseLong(after[0])).put("afterArn", after[1]);
    }
    List<CompletableFuture<ObjectNode>> parts = new ArrayList<>();
    if (history != null) {
      parts.add(localListExecutions(query));
    }
    for (String instance : routes.otherInstances()) {
      parts.add(forwarder.call(instance, "ListExecutions", query));
    }
    int partitionCount = routes.partitionCount();
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      List<JsonNode> items = new ArrayList<>();
      Set<Integer> covered = new HashSet<>();
      for (CompletableFuture<ObjectNode> part : parts) {
        part.join().get("executions").forEach(items::add);
        part.join().path("partitions").forEach(p -> covered.add(p.intValue()));
      }
      if (covered.size() < partitionCount) {
        throw ApiErrors.unavailable("Executions of " + (partitionCount - covered.size()) + " of " + partitionCount
            + " partitions cannot be listed now (partitions are moving)");
      }
      items.sort(NEWEST_FIRST);
      ObjectNode response = Json.object();
      ArrayNode page = response.putArray("executions");
      items.stream().limit(limit).forEach(page::add);
      if (machine == null) {
        // Listed by map run: AWS names the map run in each item.
        page.forEach(item -> ((ObjectNode) item).put("mapRunArn", machineArn));
      }
      if (items.size() > limit) {
        JsonNode last = items.get(limit - 1);
        long startMs = last.get("startDate").decimalValue().movePointRight(3).longValueExact();
        response.put("nextToken", Tokens.executions(machineArn, filters, startMs,
            last.get("executionArn").textValue()));
      }
      return response;
    });
  }

  /**
   * Internal.ListExecutions: this instance's share of a page. Request: {@code stateMachineArn},
   * {@code statusFilter} (optional), {@code limit}, and {@code afterStartMs}/{@code afterArn} after
   * the first page.
   */
  public CompletableFuture<ObjectNode> localListExecutions(ObjectNode query) {
    String machineArn = Requests.requiredString(query, "stateMachineArn");
    String statusFilter = Requests.optionalString(query, "statusFilter");
    ExecutionStatus status = statusFilter == null ? null : ExecutionStatus.valueOf(statusFilter);
    String redriveFilter = Requests.optionalString(query, "redriveFilter");
    Boolean redriven = redriveFilter == null ? null : "REDRIVEN".equals(redriveFilter);
    String afterArn = Requests.optionalString(query, "afterArn");
    long afterStartMs = query.path("afterStartMs").asLong(0);
    int limit = Requests.optionalInt(query, "limit", 1);
    if (history == null) {
      throw ApiErrors.unavailable("This instance holds no history projection");
    }
    return history.caughtUpActive().thenApply(ignored -> {
      HistoryReader.Share share = history.executions(machineArn, status, redriven, afterStartMs, afterArn, limit);
      ObjectNode response = Json.object();
      ArrayNode items = response.putArray("executions");
      for (ExecutionSummary summary : share.executions()) {
        items.add(Summaries.listItem(summary));
      }
      ArrayNode partitions = response.putArray("partitions");
      share.partitions().forEach(partitions::add);
      return response;
    });
  }
}
