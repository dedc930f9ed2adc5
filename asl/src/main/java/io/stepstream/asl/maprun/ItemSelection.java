package io.stepstream.asl.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;

/**
 * ItemSelector of a Distributed Map over one item: what a child (or a batch) gets for the item. The
 * selector reads the Map state's input, its context object with {@code Map.Item.Index} and
 * {@code Map.Item.Value}, and the variables visible at the Map state, as the parent saw them when the
 * state started. Immutable; safe to share between threads.
 */
public final class ItemSelection {

  private final State.Map map;
  private final JsonNode stateInput;
  private final ObjectNode context;
  private final Variables variables;
  private final long seed;

  /**
   * @param stateInput the Map state's input (after InputPath)
   * @param context the parent's context object at the Map state
   * @param variables the variables visible at the Map state, as a JSON object
   */
  public ItemSelection(State.Map map, JsonNode stateInput, JsonNode context, JsonNode variables, long seed) {
    this.map = map;
    this.stateInput = stateInput;
    this.context = context instanceof ObjectNode object ? object : Json.object();
    this.variables = variables == null || !variables.isObject() ? Variables.NONE : variables::get;
    this.seed = seed;
  }

  /** The item as a child gets it: the item itself without an ItemSelector. */
  public JsonNode select(long index, JsonNode item) throws StatesException {
    if (map.itemSelector() == null) {
      return item;
    }
    ObjectNode itemContext = Json.object();
    itemContext.setAll(context);
    ObjectNode itemNode = Json.object();
    itemNode.put("Index", index);
    itemNode.set("Value", item);
    itemContext.set("Map", Json.object().set("Item", itemNode));
    EvaluationScope scope = EvaluationScope.of(stateInput, itemContext, variables,
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index));
    return map.itemSelector().evaluate(scope, "ItemSelector");
  }
}
