package io.stepstream.asl.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.definition.StateMachineDefinition;

/**
 * Finds a Distributed Map state, and so the definition its children run, in a state machine: a child's
 * state machine ARN is its parent's followed by {@code /<label>} per level of nesting, and the label
 * leads back to the Map state.
 */
public final class DistributedMaps {

  private DistributedMaps() {}

  /**
   * The Distributed Map state with that label in the definition (its Parallel branches and inline
   * Map processors included, not other Distributed Maps' processors), or null.
   */
  public static State.Map find(StateMachineDefinition definition, String label) {
    for (State state : definition.states().values()) {
      if (state instanceof State.Map map) {
        if (map.distributed() && MapRunNames.label(map).equals(label)) {
          return map;
        }
        if (!map.distributed()) {
          State.Map found = find(map.processor(), label);
          if (found != null) {
            return found;
          }
        }
      } else if (state instanceof State.Parallel parallel) {
        for (StateMachineDefinition branch : parallel.branches()) {
          State.Map found = find(branch, label);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  /**
   * The Map state a chain of labels leads to ({@code "a"} or {@code "a/b"} for a map inside a's
   * children), or null.
   */
  public static State.Map resolve(StateMachineDefinition root, String labelPath) {
    StateMachineDefinition definition = root;
    State.Map map = null;
    for (String label : labelPath.split("/", -1)) {
      if (map != null) {
        definition = map.processor();
      }
      map = find(definition, label);
      if (map == null) {
        return null;
      }
    }
    return map;
  }

  /**
   * The definition children of {@code stateMachineArn} run when it names a map run's processor
   * ({@code ...:stateMachine:<machine>/<label>...}), else null.
   *
   * @param root the compiled definition of {@code <machine>}
   */
  public static StateMachineDefinition processor(StateMachineDefinition root, String stateMachineArn) {
    String labels = labels(stateMachineArn);
    if (labels == null) {
      return null;
    }
    State.Map map = resolve(root, labels);
    return map == null ? null : map.processor();
  }

  /**
   * The definition (JSON text) the children of a map run run, as DescribeStateMachineForExecution
   * shows it: the Map state's ItemProcessor without its ProcessorConfig, found by the label path in
   * the top-level definition; null when the path leads nowhere.
   */
  public static String processorDefinition(String definitionJson, String labelPath) {
    JsonNode machine = Json.parse(definitionJson);
    for (String label : labelPath.split("/", -1)) {
      JsonNode map = findJson(machine, label);
      if (map == null) {
        return null;
      }
      ObjectNode processor = ((ObjectNode) (map.has("ItemProcessor") ? map.get("ItemProcessor") : map.get("Iterator")))
          .deepCopy();
      processor.remove("ProcessorConfig");
      if (!processor.has("QueryLanguage") && machine.has("QueryLanguage")) {
        processor.set("QueryLanguage", machine.get("QueryLanguage"));
      }
      machine = processor;
    }
    return Json.write(machine);
  }

  private static JsonNode findJson(JsonNode machine, String label) {
    for (var entry : machine.path("States").properties()) {
      JsonNode state = entry.getValue();
      if ("Map".equals(state.path("Type").asText())) {
        JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
        boolean distributed = processor != null
            && "DISTRIBUTED".equals(processor.path("ProcessorConfig").path("Mode").asText());
        if (distributed && MapRunNames.label(state.hasNonNull("Label") ? state.get("Label").asText() : null,
            entry.getKey()).equals(label)) {
          return state;
        }
        if (!distributed && processor != null) {
          JsonNode found = findJson(processor, label);
          if (found != null) {
            return found;
          }
        }
      } else if ("Parallel".equals(state.path("Type").asText())) {
        for (JsonNode branch : state.path("Branches")) {
          JsonNode found = findJson(branch, label);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  /** The ARN of the top-level state machine: the part before the first {@code /} of its name. */
  public static String rootArn(String stateMachineArn) {
    int at = stateMachineArn.indexOf(":stateMachine:");
    int slash = at < 0 ? -1 : stateMachineArn.indexOf('/', at);
    return slash < 0 ? stateMachineArn : stateMachineArn.substring(0, slash);
  }

  /** The label path of a processor's state machine ARN, or null for a top-level state machine. */
  public static String labels(String stateMachineArn) {
    int at = stateMachineArn.indexOf(":stateMachine:");
    int slash = at < 0 ? -1 : stateMachineArn.indexOf('/', at);
    return slash < 0 ? null : stateMachineArn.substring(slash + 1);
  }
}
