package io.stepstream.gateway.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.maprun.MapRunNames;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.gateway.api.Requests;
import io.stepstream.gateway.execution.CommandRequests;
import io.stepstream.gateway.execution.ExecutionActions;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.MapRunCounts;
import io.stepstream.proto.MapRunSnapshot;
import io.stepstream.proto.UpdateMapRun;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeMapRun, ListMapRuns and UpdateMapRun. A map run is projected in its parent execution's
 * partition (with the parent's MapRunStarted event, then from the map-run service's snapshots), so
 * ListMapRuns is answered by the parent's owner. A map run ARN does not name its parent, so
 * DescribeMapRun asks every instance, and answers "not found" only when the answers cover every
 * partition (else 503, as ListExecutions). UpdateMapRun is a command to the map-run service, answered
 * once the projection shows its effect.
 */
public final class MapRunActions {

  private final HistoryRoutes routes;
  private final HistoryReader history;
  private final Forwarder forwarder;
  private final CommandRequests requests;
  private final String mapRunTopic;
  private final Clock clock;

  /**
   * @param history the projection held by this process, or null when it runs no projector
   * @param requests the write path (null on the internal listener, which serves reads only)
   * @param mapRunTopic the map-run commands topic
   */
  public MapRunActions(HistoryRoutes routes, HistoryReader history, Forwarder forwarder, CommandRequests requests,
      String mapRunTopic, Clock clock) {
    this.routes = routes;
    this.history = history;
    this.forwarder = forwarder;
    this.requests = requests;
    this.mapRunTopic = mapRunTopic;
    this.clock = clock;
  }

  /** DescribeMapRun. */
  public CompletableFuture<ObjectNode> describeMapRun(ObjectNode request) {
    String arn = requireMapRunArn(request);
    ObjectNode query = Json.object().put("mapRunArn", arn);
    List<CompletableFuture<ObjectNode>> parts = new ArrayList<>();
    if (history != null) {
      parts.add(localDescribeMapRun(query));
    }
    for (String instance : routes.otherInstances()) {
      parts.add(forwarder.call(instance, "DescribeMapRun", query));
    }
    int partitionCount = routes.partitionCount();
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
      Set<Integer> covered = new HashSet<>();
      ObjectNode found = null;
      for (CompletableFuture<ObjectNode> part : parts) {
        ObjectNode answer = part.join();
        answer.path("partitions").forEach(p -> covered.add(p.intValue()));
        if (answer.has("mapRun") && (found == null
            || answer.get("mapRun").path("version").asLong() > found.path("version").asLong())) {
          found = (ObjectNode) answer.get("mapRun");
        }
      }
      if (found != null) {
        found.remove("version");
        return found;
      }
      if (covered.size() < partitionCount) {
        throw ApiErrors.unavailable("Map runs of " + (partitionCount - covered.size()) + " of " + partitionCount
            + " partitions cannot be read now (partitions are moving)");
      }
      throw notFound(arn);
    });
  }

  /** Internal.DescribeMapRun: what the partitions active here know of a map run. */
  public CompletableFuture<ObjectNode> localDescribeMapRun(ObjectNode query) {
    if (history == null) {
      throw ApiErrors.unavailable("This instance holds no history projection");
    }
    String mapRunArn = Requests.requiredString(query, "mapRunArn");
    return history.caughtUpActive().thenApply(ignored -> {
      HistoryReader.MapRunShare share = history.mapRun(mapRunArn);
      ObjectNode response = Json.object();
      share.run().ifPresent(run -> response.set("mapRun", describe(run).put("version", run.getVersion())));
      ArrayNode partitions = response.putArray("partitions");
      share.partitions().forEach(partitions::add);
      return response;
    });
  }

  /** ListMapRuns: answered by the owner of the parent execution. */
  public CompletableFuture<ObjectNode> listMapRuns(ObjectNode request) {
    return Forwarder.answer(() -> {
      String executionArn = ExecutionActions.requireExecutionArn(request).value();
      String owner = routes.ownerAddress(executionArn);
      return owner == null ? localListMapRuns(request) : forwarder.call(owner, "ListMapRuns", request);
    });
  }

  /** Internal.ListMapRuns: from this instance's stores. */
  public CompletableFuture<ObjectNode> localListMapRuns(ObjectNode request) {
    String executionArn = ExecutionActions.requireExecutionArn(request).value();
    int limit = HistoryActions.pageSize(request);
    String token = Requests.optionalString(request, "nextToken");
    int from = 0;
    if (token != null) {
      try {
        from = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw ApiErrors.invalidToken(token);
      }
    }
    if (history == null) {
      throw ApiErrors.unavailable("This instance holds no history projection");
    }
    int first = from;
    return history.caughtUp(executionArn).thenApply(ignored -> {
      if (history.summary(executionArn).isEmpty()) {
        throw HistoryActions.doesNotExist(executionArn);
      }
      List<MapRunSnapshot> runs = history.mapRuns(executionArn);
      ObjectNode response = Json.object();
      ArrayNode items = response.putArray("mapRuns");
      for (MapRunSnapshot run : runs.subList(Math.min(first, runs.size()), Math.min(first + limit, runs.size()))) {
        ObjectNode item = items.addObject().put("executionArn", run.getExecutionArn()).put("mapRunArn", run.getMapRunArn())
            .put("stateMachineArn", run.getStateMachineArn());
        item.set("startDate", Requests.timestamp(run.getStartTimeMs()));
        if (run.getStopTimeMs() > 0) {
          item.set("stopDate", Requests.timestamp(run.getStopTimeMs()));
        }
      }
      if (first + limit < runs.size()) {
        response.put("nextToken", Integer.toString(first + limit));
      }
      return response;
    });
  }

  /** UpdateMapRun: maxConcurrency and the tolerances take effect at once on a running map run. */
  public CompletableFuture<ObjectNode> updateMapRun(ObjectNode request) {
    String arn = requireMapRunArn(request);
    UpdateMapRun.Builder update = UpdateMapRun.newBuilder();
    JsonNode concurrency = request.get("maxConcurrency");
    if (concurrency != null && !concurrency.isNull()) {
      if (!concurrency.canConvertToInt() || concurrency.intValue() < 0) {
        throw ApiErrors.validation("'" + concurrency + "'", "maxConcurrency", "Member must have value greater than or equal to 0");
      }
      update.setMaxConcurrencySet(true).setMaxConcurrency(concurrency.intValue());
    }
    JsonNode count = request.get("toleratedFailureCount");
    if (count != null && !count.isNull()) {
      if (!count.canConvertToLong() || count.longValue() < 0) {
        throw ApiErrors.validation("'" + count + "'", "toleratedFailureCount",
            "Member must have value greater than or equal to 0");
      }
      update.setToleratedCountSet(true).setToleratedFailureCount(count.longValue());
    }
    JsonNode percentage = request.get("toleratedFailurePercentage");
    if (percentage != null && !percentage.isNull()) {
      if (!percentage.isNumber() || percentage.doubleValue() < 0 || percentage.doubleValue() > 100) {
        throw ApiErrors.validation("'" + percentage + "'", "toleratedFailurePercentage",
            "Member must have value between 0 and 100");
      }
      update.setToleratedPercentageSet(true).setToleratedFailurePercentage(percentage.doubleValue());
    }
    if (!update.getMaxConcurrencySet() && !update.getToleratedCountSet() && !update.getToleratedPercentageSet()) {
      throw new ApiException("ValidationException",
          "At least one of maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be specified");
    }
    if (requests == null) {
      throw ApiErrors.unavailable("This instance does not accept writes");
    }
    return requests.sendMapRun(mapRunTopic, MapRunCommand.newBuilder().setTimeMs(clock.millis()).setMapRunArn(arn)
        .setUpdate(update)).thenApply(reply -> Json.object());
  }

  private static ObjectNode describe(MapRunSnapshot run) {
    ObjectNode node = Json.object().put("mapRunArn", run.getMapRunArn()).put("executionArn", run.getExecutionArn())
        .put("status", switch (run.getStatus()) {
          case MAP_RUN_SUCCEEDED -> "SUCCEEDED";
          case MAP_RUN_FAILED -> "FAILED";
          case MAP_RUN_ABORTED -> "ABORTED";
          default -> "RUNNING";
        });
    node.set("startDate", Requests.timestamp(run.getStartTimeMs()));
    if (run.getStopTimeMs() > 0) {
      node.set("stopDate", Requests.timestamp(run.getStopTimeMs()));
    }
    node.put("maxConcurrency", run.getMaxConcurrency())
        .put("toleratedFailurePercentage", (float) run.getToleratedFailurePercentage())
        .put("toleratedFailureCount", run.getToleratedFailureCount());
    node.set("itemCounts", counts(run.getItems()));
    node.set("executionCounts", counts(run.getExecutions()));
    node.put("redriveCount", run.getRedriveCount());
    if (run.getRedriveTimeMs() > 0) {
      node.set("redriveDate", Requests.timestamp(run.getRedriveTimeMs()));
    }
    return node;
  }

  private static ObjectNode counts(MapRunCounts counts) {
    return Json.object().put("pending", counts.getPending()).put("running", counts.getRunning())
        .put("succeeded", counts.getSucceeded()).put("failed", counts.getFailed())
        .put("timedOut", counts.getTimedOut()).put("aborted", counts.getAborted()).put("total", counts.getTotal())
        .put("resultsWritten", counts.getResultsWritten()).put("failuresNotRedrivable", 0).put("pendingRedrive", 0);
  }

  private static String requireMapRunArn(ObjectNode request) {
    String arn = Requests.requiredString(request, "mapRunArn");
    if (!MapRunNames.isMapRunArn(arn)) {
      throw ApiErrors.invalidArn("Resource type not valid in this context: " + arn);
    }
    return arn;
  }

  private static ApiException notFound(String arn) {
    return new ApiException("ResourceNotFound", "Resource not found: '" + arn + "'");
  }
}
