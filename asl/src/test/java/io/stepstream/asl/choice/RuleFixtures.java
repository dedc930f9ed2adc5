package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.json.Json;
import java.util.Map;
import java.util.SplittableRandom;

/** Small builders shared by the Choice rule tests. */
final class RuleFixtures {

  private RuleFixtures() {}

  /** A comparison rule {@code {"Variable": variable, operator: operand, "Next": "Next"}}. */
  static ChoiceRule comparison(String variable, String operator, Object operand) {
    ObjectNode rule = Json.object();
    rule.put("Variable", variable);
    rule.set(operator, node(operand));
    rule.put("Next", "Next");
    return ChoiceRule.compile(rule);
  }

  /** Does {@code {"Variable": "$.v", operator: operand}} match the input {@code {"v": value}}? */
  static boolean valueMatches(String operator, Object operand, Object value) {
    ObjectNode input = Json.object();
    input.set("v", node(value));
    return comparison("$.v", operator, operand).matches(scope(input));
  }

  /** Does {@code {"Variable": "$.v", operatorPath: "$.o"}} match the input {@code {"v": value, "o": operand}}? */
  static boolean pathMatches(String operator, Object operand, Object value) {
    ObjectNode input = Json.object();
    input.set("v", node(value));
    input.set("o", node(operand));
    return comparison("$.v", operator, "$.o").matches(scope(input));
  }

  /** The JSON value of a Java value (null gives JSON null, a JsonNode stays itself). */
  static JsonNode node(Object value) {
    return value == null ? Json.NODES.nullNode() : Json.MAPPER.valueToTree(value);
  }

  /** Compiles a rule written as JSON text. */
  static ChoiceRule rule(String json) {
    return ChoiceRule.compile(Json.parse(json));
  }

  static EvaluationScope scope(String inputJson) {
    return scope(Json.parse(inputJson));
  }

  static EvaluationScope scope(JsonNode input) {
    return EvaluationScope.of(input, Json.object(), Variables.NONE, new SplittableRandom(1));
  }

  static EvaluationScope scope(JsonNode input, JsonNode context, Map<String, JsonNode> variables) {
    return EvaluationScope.of(input, context, variables::get, new SplittableRandom(1));
  }
}
