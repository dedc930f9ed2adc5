package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.PathFailures;
import io.stepstream.asl.definition.PathValue;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.Frame;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.MapActivityOrBuilder;
import io.stepstream.proto.MapIterationEventDetails;
import io.stepstream.proto.MapStateStartedEventDetails;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The Map state: one iteration of the item processor per item, at most MaxConcurrency at a time;
 * the result is the array of iteration outputs in item order.
 *
 * <p>Iterations start in index order and each runs until it waits before the next starts, so a Map
 * of Pass states produces the same history as AWS (iteration after iteration).
 */
final class MapHandler {

  private MapHandler() {}

  static void run(Runner runner, String frameId, State.Map map, JsonNode raw) {
    if (map.distributed()) {
      DistributedMapHandler.run(runner, frameId, map, raw);
      return;
    }
    Session s = runner.s;
    JsonNode input = runner.s.input(frameId, map, raw);
    EvaluationScope scope = s.scope(frameId, map, input, null);
    JsonNode items;
    int maxConcurrency;
    try {
      items = items(map, scope);
      maxConcurrency = (int) integer(map.maxConcurrency(), scope, "MaxConcurrency", 0);
    } catch (StatesException e) {
      failStart(runner, frameId, map, raw, e);
      return;
    }
    runner.emit(frameId, HistoryEventType.MapStateStarted, HistoryEvent.newBuilder().setMapStateStartedEventDetails(
        MapStateStartedEventDetails.newBuilder().setLength(items.size())
            .setItems(s.textOfEach((ArrayNode) items))
            .setMaxConcurrency(maxConcurrency)));
    fill(runner, frameId, map, raw);
  }

  /**
   * The Map state's own fields (items, MaxConcurrency) could not be evaluated: AWS reports a JSONata
   * failure as EvaluationFailed then MapStateFailed, other failures as the state's failure.
   */
  static void failStart(Runner runner, String frameId, State.Map map, JsonNode raw, StatesException e) {
    if (StatesErrors.QUERY_EVALUATION_ERROR.equals(e.error())) {
      String cause = runner.report(frameId, map, e);
      runner.emit(frameId, HistoryEventType.MapStateFailed, HistoryEvent.newBuilder());
      runner.fail(frameId, map, raw, e.error(), cause);
    } else {
      runner.fail(frameId, map, raw, e);
    }
  }

  /** The items a Map state iterates over (ItemsPath / Items), which must be an array. */
  static JsonNode items(State.Map map, EvaluationScope scope) {
    boolean jsonata = map.flow().isJsonata();
    JsonNode items = map.items().evaluate(scope, jsonata ? "Items" : "ItemsPath");
    if (!items.isArray()) {
      if (jsonata && map.itemsExpression() == null) {
        throw StatesException.queryEvaluation("Map state input must be an array but was: " + Json.write(items), "Items");
      }
      if (jsonata) {
        throw StatesException.queryEvaluation("The JSONata expression '" + itemsText(map)
            + "' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '"
            + typeName(items) + "' for value: " + Json.write(items), "Items");
      }
      throw StatesException.runtime("Unable to apply ItemsPath to input: the value is not an array: " + Json.write(items));
    }
    return items;
  }

  /**
   * Reaps finished iterations and starts new ones while slots are free; completes or fails the state
   * when it can. Called after the state starts and whenever an iteration moved.
   */
  static void fill(Runner runner, String frameId, State.Map map, JsonNode raw) {
    Session s = runner.s;
    while (true) {
      FrameOrBuilder frame = s.frame(frameId);
      if (frame == null || !frame.hasMap()) {
        return;
      }
      MapActivityOrBuilder activity = frame.getMapOrBuilder();
      List<Integer> running = new ArrayList<>(activity.getRunningCount());
      for (FrameOrBuilder iteration : activity.getRunningOrBuilderList()) {
        running.add(iteration.getIndex());
      }
      Collections.sort(running);
      for (int index : running) {
        String iterationId = Frames.iterationId(frameId, index);
        Session.Failure failure = s.failedFlows.remove(iterationId);
        if (failure != null) {
          iterationEvent(runner, frameId, map, HistoryEventType.MapIterationFailed, index);
          // AWS shows MapStateFailed only when the state is not retried.
          if (!runner.retry(frameId, map, failure.error())) {
            runner.emit(frameId, HistoryEventType.MapStateFailed, HistoryEvent.newBuilder());
            runner.catchOrFail(frameId, map, raw, failure.error(), failure.cause());
          }
          return;
        } else if (Frames.get(s.state, iterationId).getStatus() == FrameStatus.FRAME_SUCCEEDED) {
          iterationEvent(runner, frameId, map, HistoryEventType.MapIterationSucceeded, index);
        }
      }
      activity = s.frame(frameId).getMapOrBuilder();
      if (activity.getNextIndex() >= activity.getItemCount() && activity.getRunningCount() == 0
          && activity.getToRedriveCount() == 0) {
        complete(runner, frameId, map, raw, activity);
        return;
      }
      boolean slotFree = activity.getMaxConcurrency() == 0 || activity.getRunningCount() < activity.getMaxConcurrency();
      if (slotFree && activity.getToRedriveCount() > 0) {
        // After a redrive, iterations that failed run again first, from the state they failed in.
        int index = activity.getToRedriveOrBuilder(0).getIndex();
        iterationEvent(runner, frameId, map, HistoryEventType.MapIterationStarted, index);
        RedriveHandler.redriveFlow(runner, Frames.iterationId(frameId, index));
        continue;
      }
      if (activity.getNextIndex() >= activity.getItemCount() || !slotFree) {
        return;
      }
      if (!startIteration(runner, frameId, map, raw, activity.getNextIndex())) {
        return;
      }
    }
  }

  private static boolean startIteration(Runner runner, String frameId, State.Map map, JsonNode raw, int index) {
    Session s = runner.s;
    JsonNode item = s.json(s.frame(frameId).getMapOrBuilder().getItems()).get(index);
    JsonNode iterationInput = item;
    if (map.itemSelector() != null) {
      ObjectNode extra = Json.object();
      ObjectNode mapNode = Json.object();
      ObjectNode itemNode = Json.object();
      itemNode.put("Index", index);
      itemNode.set("Value", item);
      mapNode.set("Item", itemNode);
      extra.set("Map", mapNode);
      JsonNode input = runner.s.input(frameId, map, raw);
      try {
        iterationInput = map.itemSelector().evaluate(forceContext(s.scope(frameId, map, input, extra), s, frameId, map, input, extra), "ItemSelector");
      } catch (StatesException e) {
        runner.fail(frameId, map, raw, e);
        return false;
      }
    }
    iterationEvent(runner, frameId, map, HistoryEventType.MapIterationStarted, index);
    runner.startFlow(Frames.iterationId(frameId, index), iterationInput);
    return true;
  }

  private static EvaluationScope forceContext(EvaluationScope scope, Session s, String frameId, State.Map map,
      JsonNode input, ObjectNode extra) {
    // ItemSelector reads $$.Map.Item even when nothing else in the state uses the context object.
    return scope.context().has("Map") ? scope : new EvaluationScope(input, contextWith(scope.context(), extra),
        scope.variables(), scope.random(), null, null);
  }

  private static JsonNode contextWith(JsonNode context, ObjectNode extra) {
    ObjectNode copy = Json.object();
    copy.setAll((ObjectNode) context);
    copy.setAll(extra);
    return copy;
  }

  private static void complete(Runner runner, String frameId, State.Map map, JsonNode raw, MapActivityOrBuilder activity) {
    Session s = runner.s;
    ArrayNode results = Json.array();
    for (int i = 0; i < activity.getItemCount(); i++) {
      String text = activity.getResultsMap().get(i);
      results.add(text == null ? Json.NODES.nullNode() : s.json(text));
    }
    runner.emit(frameId, HistoryEventType.MapStateSucceeded, HistoryEvent.newBuilder());
    JsonNode input = runner.s.input(frameId, map, raw);
    runner.succeed(frameId, map, raw, results, s.scope(frameId, map, input, null));
  }

  private static void iterationEvent(Runner runner, String frameId, State.Map map, HistoryEventType type, int index) {
    MapIterationEventDetails details = MapIterationEventDetails.newBuilder().setName(map.name()).setIndex(index).build();
    runner.s.emit(frameId, type, event -> {
      switch (type) {
        case MapIterationStarted -> event.setMapIterationStartedEventDetails(details);
        case MapIterationSucceeded -> event.setMapIterationSucceededEventDetails(details);
        case MapIterationFailed -> event.setMapIterationFailedEventDetails(details);
        default -> event.setMapIterationAbortedEventDetails(details);
      }
    });
  }

  /** A count field (MaxConcurrency, ToleratedFailureCount, ...): a non-negative integer. */
  static long integer(ValueTemplate template, EvaluationScope scope, String field, long absent) {
    long number = anyInteger(template, scope, field, absent);
    if (number < 0) {
      throw StatesException.runtime(field + " cannot be negative.");
    }
    return number;
  }

  /**
   * An integer field, negative or not: the item reader, not the state, refuses a negative MaxItems
   * (AWS fails the map run with States.ItemReaderFailed, "field MaxItems must be positive").
   */
  static long anyInteger(ValueTemplate template, EvaluationScope scope, String field, long absent) {
    if (template == null) {
      return absent;
    }
    JsonNode value = template.evaluate(scope, field + "Path");
    Long number = integerValue(value);
    if (number == null) {
      String path = template instanceof PathValue pathValue ? pathValue.path().text() : field;
      throw PathFailures.notAnInteger(field + "Path", path, value);
    }
    return number;
  }

  /** An integer, or a string holding one (AWS accepts "2" from a path), else null. */
  private static Long integerValue(JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String itemsText(State.Map map) {
    return map.itemsExpression();
  }

  private static String typeName(JsonNode node) {
    return switch (node.getNodeType()) {
      case BOOLEAN -> "boolean";
      case NUMBER -> "number";
      case STRING -> "string";
      case OBJECT -> "object";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
