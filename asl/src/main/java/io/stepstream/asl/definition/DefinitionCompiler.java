package io.stepstream.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.choice.ChoiceRule;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.PayloadTemplate;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.jsonata.JsonataTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a definition that passed {@link io.stepstream.asl.validation.DefinitionValidator} into the
 * executable model: paths, templates and Choice rules are parsed here, once.
 *
 * <p>It checks only what it needs to build the model; anything else it finds wrong is an
 * {@link IllegalArgumentException} (the validator reports problems in full, with locations).
 */
public final class DefinitionCompiler {

  private DefinitionCompiler() {}

  /** Compiles definition text. */
  public static StateMachineDefinition compile(String definitionJson) {
    return compile(Json.parse(definitionJson));
  }

  /** Compiles a parsed definition. */
  public static StateMachineDefinition compile(JsonNode definition) {
    QueryLanguage top = definition.has("QueryLanguage")
        ? QueryLanguage.of(definition.get("QueryLanguage").asText()) : QueryLanguage.JSONPATH;
    return machine(definition, top);
  }

  private static StateMachineDefinition machine(JsonNode node, QueryLanguage inherited) {
    QueryLanguage ql = node.has("QueryLanguage") ? QueryLanguage.of(node.get("QueryLanguage").asText()) : inherited;
    Map<String, State> states = new LinkedHashMap<>();
    JsonNode statesNode = required(node, "States");
    for (Iterator<Map.Entry<String, JsonNode>> it = statesNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      states.put(entry.getKey(), state(entry.getKey(), entry.getValue(), ql));
    }
    long timeout = node.has("TimeoutSeconds") ? node.get("TimeoutSeconds").asLong() : 0;
    return new StateMachineDefinition(required(node, "StartAt").asText(), Map.copyOf(states), timeout, ql);
  }

  private static State state(String name, JsonNode node, QueryLanguage inherited) {
    QueryLanguage ql = node.has("QueryLanguage") ? QueryLanguage.of(node.get("QueryLanguage").asText()) : inherited;
    String type = required(node, "Type").asText();
    DataFlow flow = flow(node, ql);
    String next = text(node, "Next");
    return switch (type) {
      case "Pass" -> new State.Pass(name, next, flow, node.get("Result"));
      case "Task" -> new State.Task(name, next, flow, retry(node), catchers(node, ql), required(node, "Resource").asText(),
          numberField(node, "TimeoutSeconds", ql), numberField(node, "HeartbeatSeconds", ql),
          required(node, "Resource").asText().endsWith(".waitForTaskToken"), node.get("Credentials"));
      case "Choice" -> choice(name, node, flow, ql);
      case "Wait" -> new State.Wait(name, next, flow,
          numberField(node, "Seconds", ql), timestampField(node, ql));
      case "Succeed" -> new State.Succeed(name, flow);
      case "Fail" -> new State.Fail(name, flow, stringField(node, "Error", ql), stringField(node, "Cause", ql));
      case "Parallel" -> {
        List<StateMachineDefinition> branches = new ArrayList<>();
        for (JsonNode branch : required(node, "Branches")) {
          branches.add(machine(branch, ql));
        }
        yield new State.Parallel(name, next, flow, retry(node), catchers(node, ql), List.copyOf(branches));
      }
      case "Map" -> map(name, node, next, flow, ql);
      default -> throw new IllegalArgumentException("unknown state type " + type + " of state " + name);
    };
  }

  private static State.Map map(String name, JsonNode node, String next, DataFlow flow, QueryLanguage ql) {
    JsonNode processorNode = node.has("ItemProcessor") ? node.get("ItemProcessor") : required(node, "Iterator");
    JsonNode config = processorNode.path("ProcessorConfig");
    boolean distributed = "DISTRIBUTED".equals(config.path("Mode").asText("INLINE"));
    StateMachineDefinition processor = machine(processorNode, ql);
    ValueTemplate items;
    if (ql == QueryLanguage.JSONATA) {
      items = node.has("Items") ? template(node.get("Items"), ql) : (scope, field) -> scope.input();
    } else if (node.has("ItemsPath")) {
      items = pathTemplate(JsonPathExpression.compile(node.get("ItemsPath").asText()));
    } else {
      items = (scope, field) -> scope.input();
    }
    JsonNode selector = node.has("ItemSelector") ? node.get("ItemSelector") : node.get("Parameters");
    return new State.Map(name, next, flow, retry(node), catchers(node, ql), processor, distributed, items,
        selector == null ? null : template(selector, ql),
        numberField(node, "MaxConcurrency", ql),
        numberField(node, "ToleratedFailurePercentage", ql),
        numberField(node, "ToleratedFailureCount", ql),
        node.get("ItemReader"), node.get("ItemBatcher"), node.get("ResultWriter"), text(node, "Label"),
        node.has("Items") ? expressionText(node.get("Items")) : null,
        distributed ? distributedConfig(node, config, ql) : null);
  }

  private static DistributedConfig distributedConfig(JsonNode node, JsonNode processorConfig, QueryLanguage ql) {
    JsonNode reader = node.path("ItemReader");
    JsonNode batcher = node.path("ItemBatcher");
    JsonNode writer = node.path("ResultWriter");
    return new DistributedConfig(processorConfig.path("ExecutionType").asText("STANDARD"),
        parameters(reader, ql), numberField(reader.path("ReaderConfig"), "MaxItems", ql),
        node.has("ItemBatcher"), numberField(batcher, "MaxItemsPerBatch", ql),
        numberField(batcher, "MaxInputBytesPerBatch", ql),
        batcher.has("BatchInput") ? template(batcher.get("BatchInput"), ql) : null, parameters(writer, ql));
  }

  /** A resource's Parameters (JSONPath) or Arguments (JSONata), or null when it has neither. */
  private static ValueTemplate parameters(JsonNode node, QueryLanguage ql) {
    JsonNode value = node.has("Arguments") ? node.get("Arguments") : node.get("Parameters");
    return value == null ? null : template(value, ql);
  }

  private static State.Choice choice(String name, JsonNode node, DataFlow flow, QueryLanguage ql) {
    List<State.ChoiceBranch> branches = new ArrayList<>();
    for (JsonNode rule : required(node, "Choices")) {
      QueryLanguage ruleQl = ql;
      Condition condition;
      if (rule.has("Condition")) {
        condition = jsonataCondition(rule.get("Condition"));
      } else if (ruleQl == QueryLanguage.JSONATA) {
        throw new IllegalArgumentException("a JSONata Choice rule needs a Condition");
      } else {
        ChoiceRule compiled = ChoiceRule.compile(rule);
        condition = compiled::matches;
      }
      branches.add(new State.ChoiceBranch(condition, required(rule, "Next").asText(),
          rule.has("Assign") ? template(rule.get("Assign"), ql) : null,
          rule.has("Output") ? template(rule.get("Output"), ql) : null));
    }
    return new State.Choice(name, flow, List.copyOf(branches), text(node, "Default"));
  }

  private static Condition jsonataCondition(JsonNode conditionNode) {
    if (conditionNode.isBoolean()) {
      boolean constant = conditionNode.booleanValue();
      return scope -> constant;
    }
    JsonataTemplate template = JsonataTemplate.compile(conditionNode);
    return scope -> template.evaluateCondition(scope, "Condition");
  }

  private static DataFlow flow(JsonNode node, QueryLanguage ql) {
    String text = node.toString();
    boolean usesContext = text.contains("$$") || text.contains("context");
    ValueTemplate parameters = null;
    if (ql == QueryLanguage.JSONATA) {
      if (node.has("Arguments")) {
        parameters = template(node.get("Arguments"), ql);
      }
    } else if (node.has("Parameters") && !"Map".equals(node.path("Type").asText())) {
      parameters = template(node.get("Parameters"), ql);
    }
    return new DataFlow(ql,
        path(node, "InputPath"), node.has("InputPath") && node.get("InputPath").isNull(),
        parameters,
        node.has("ResultSelector") ? template(node.get("ResultSelector"), ql) : null,
        path(node, "ResultPath"), node.has("ResultPath") && node.get("ResultPath").isNull(),
        path(node, "OutputPath"), node.has("OutputPath") && node.get("OutputPath").isNull(),
        node.has("Output") && ql == QueryLanguage.JSONATA ? template(node.get("Output"), ql) : null,
        node.has("Assign") ? template(node.get("Assign"), ql) : null,
        usesContext);
  }

  private static List<Retrier> retry(JsonNode node) {
    List<Retrier> retriers = new ArrayList<>();
    for (JsonNode r : node.path("Retry")) {
      retriers.add(new Retrier(strings(r.get("ErrorEquals")),
          r.path("IntervalSeconds").asInt(Retrier.DEFAULT_INTERVAL_SECONDS),
          r.path("MaxAttempts").asInt(Retrier.DEFAULT_MAX_ATTEMPTS),
          r.path("BackoffRate").asDouble(Retrier.DEFAULT_BACKOFF_RATE),
          r.path("MaxDelaySeconds").asLong(0),
          "FULL".equals(r.path("JitterStrategy").asText("NONE"))));
    }
    return List.copyOf(retriers);
  }

  private static List<Catcher> catchers(JsonNode node, QueryLanguage ql) {
    List<Catcher> catchers = new ArrayList<>();
    for (JsonNode c : node.path("Catch")) {
      catchers.add(new Catcher(strings(c.get("ErrorEquals")), required(c, "Next").asText(),
          path(c, "ResultPath"), c.has("ResultPath") && c.get("ResultPath").isNull(),
          c.has("Output") ? template(c.get("Output"), ql) : null,
          c.has("Assign") ? template(c.get("Assign"), ql) : null));
    }
    return List.copyOf(catchers);
  }

  /** A template for Parameters-like fields in the state's query language. */
  static ValueTemplate template(JsonNode node, QueryLanguage ql) {
    if (ql == QueryLanguage.JSONATA) {
      JsonataTemplate compiled = JsonataTemplate.compile(node);
      return compiled::evaluate;
    }
    PayloadTemplate compiled = PayloadTemplate.compile(node);
    return compiled::evaluate;
  }

  /**
   * A number field that may be given as a constant ({@code X}), a path ({@code XPath}) or, in JSONata
   * states, an expression ({@code "X": "{% ... %}"}); null when absent.
   */
  private static ValueTemplate numberField(JsonNode node, String field, QueryLanguage ql) {
    if (node.has(field)) {
      JsonNode value = node.get(field);
      return value.isTextual() && ql == QueryLanguage.JSONATA ? template(value, ql) : ValueTemplate.constant(value);
    }
    if (node.has(field + "Path")) {
      return pathTemplate(JsonPathExpression.compile(node.get(field + "Path").asText()));
    }
    return null;
  }

  private static ValueTemplate timestampField(JsonNode node, QueryLanguage ql) {
    if (node.has("Timestamp")) {
      JsonNode value = node.get("Timestamp");
      return ql == QueryLanguage.JSONATA && JsonataTemplate.isExpression(value.asText())
          ? template(value, ql) : ValueTemplate.constant(value);
    }
    if (node.has("TimestampPath")) {
      return pathTemplate(JsonPathExpression.compile(node.get("TimestampPath").asText()));
    }
    return null;
  }

  private static ValueTemplate stringField(JsonNode node, String field, QueryLanguage ql) {
    if (node.has(field)) {
      JsonNode value = node.get(field);
      return ql == QueryLanguage.JSONATA && JsonataTemplate.isExpression(value.asText())
          ? template(value, ql) : ValueTemplate.constant(value);
    }
    if (node.has(field + "Path")) {
      String path = node.get(field + "Path").asText();
      if (path.startsWith("States.")) {
        // ErrorPath and CausePath accept an intrinsic call: evaluate it as a one-field payload template.
        ValueTemplate wrapped = template(Json.object().put(field + "Path.$", path), QueryLanguage.JSONPATH);
        return (scope, name) -> wrapped.evaluate(scope, name).get(field + "Path");
      }
      return pathTemplate(JsonPathExpression.compile(path));
    }
    return null;
  }

  /** The text of a JSONata field without its {@code {% %}} delimiters, as AWS quotes it in messages. */
  static String expressionText(JsonNode field) {
    String text = field.isTextual() ? field.textValue().trim() : field.toString();
    if (text.startsWith("{%") && text.endsWith("%}")) {
      text = text.substring(2, text.length() - 2).trim();
    }
    return text;
  }

  /** Reads a path; a path that selects nothing fails as AWS fails it. */
  static ValueTemplate pathTemplate(JsonPathExpression path) {
    return new PathValue(path);
  }

  private static JsonPathExpression path(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : JsonPathExpression.compile(value.asText());
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException("missing required field " + field);
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(e -> out.add(e.asText()));
    }
    return List.copyOf(out);
  }
}
