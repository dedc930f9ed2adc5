package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.JsonPathExpression;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON of a JSONPath Choice rule into a {@link ChoiceRule}, checking it on the way.
 *
 * <p>Error messages name the place inside the rule as a JSON pointer ({@code /And/1/Not}) so a
 * validator can append it to the rule's own location in the definition.
 */
final class ChoiceRuleParser {

  /** Fields of a Choices element that belong to the state's transition, not to the rule. */
  private static final Set<String> NOT_RULE_FIELDS = Set.of("Next", "Assign", "Output", "Comment");

  private ChoiceRuleParser() {}

  static ChoiceRule parse(JsonNode rule, String at) {
    if (rule == null || !rule.isObject()) {
      throw invalid(at, "a choice rule must be a JSON object");
    }
    JsonNode variable = null;
    List<String> operators = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (NOT_RULE_FIELDS.contains(name)) {
        continue;
      }
      if (name.equals("Variable")) {
        variable = rule.get(name);
      } else if (name.equals("And") || name.equals("Or") || name.equals("Not")
          || ComparisonOperator.byFieldName(name) != null) {
        operators.add(name);
      } else {
        throw invalid(at, "unknown field '" + name + "'");
      }
    }
    if (operators.isEmpty()) {
      throw invalid(at, "no comparison operator (and no And, Or or Not)");
    }
    if (operators.size() > 1) {
      throw invalid(at, "more than one operator: " + String.join(", ", operators));
    }
    String operator = operators.get(0);
    return switch (operator) {
      case "And", "Or" -> logical(operator, rule.get(operator), variable, at);
      case "Not" -> not(rule.get(operator), variable, at);
      default -> comparison(ComparisonOperator.byFieldName(operator), rule.get(operator), variable, at);
    };
  }

  private static ChoiceRule logical(String operator, JsonNode operands, JsonNode variable, String at) {
    if (variable != null) {
      throw invalid(at, "'Variable' is not allowed with " + operator);
    }
    if (!operands.isArray() || operands.isEmpty()) {
      throw invalid(at, operator + " must be a non-empty array of choice rules");
    }
    ChoiceRule[] rules = new ChoiceRule[operands.size()];
    for (int i = 0; i < rules.length; i++) {
      rules[i] = parse(operands.get(i), at + "/" + operator + "/" + i);
    }
    return operator.equals("And") ? new ChoiceRule.And(rules) : new ChoiceRule.Or(rules);
  }

  private static ChoiceRule not(JsonNode operand, JsonNode variable, String at) {
    if (variable != null) {
      throw invalid(at, "'Variable' is not allowed with Not");
    }
    return new ChoiceRule.Not(parse(operand, at + "/Not"));
  }

  private static ChoiceRule comparison(ComparisonOperator operator, JsonNode operand, JsonNode variable, String at) {
    if (variable == null) {
      throw invalid(at, operator + " needs a 'Variable'");
    }
    JsonPathExpression variablePath = referencePath(variable, "Variable", at);
    if (operator.hasPathOperand()) {
      return new ComparisonRule(variablePath, operator, null, referencePath(operand, operator.fieldName(), at));
    }
    checkLiteral(operator, operand, at);
    return new ComparisonRule(variablePath, operator, operand, null);
  }

  private static void checkLiteral(ComparisonOperator operator, JsonNode operand, String at) {
    switch (operator.kind()) {
      case STRING -> require(operand.isTextual(), operator, "a string", at);
      case NUMERIC -> require(operand.isNumber(), operator, "a number", at);
      case BOOLEAN, TYPE_TEST -> require(operand.isBoolean(), operator, "a boolean", at);
      case TIMESTAMP -> {
        require(operand.isTextual(), operator, "a string", at);
        if (!Rfc3339.isTimestamp(operand.textValue())) {
          throw invalid(at, operator + " needs an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got '"
              + operand.textValue() + "'");
        }
      }
    }
  }

  private static void require(boolean ok, ComparisonOperator operator, String what, String at) {
    if (!ok) {
      throw invalid(at, operator + " needs " + what + " operand");
    }
  }

  private static JsonPathExpression referencePath(JsonNode node, String field, String at) {
    if (!node.isTextual()) {
      throw invalid(at, field + " must be a reference path string");
    }
    JsonPathExpression path;
    try {
      path = JsonPathExpression.compile(node.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(at, field + " is not a valid reference path: " + e.getMessage());
    }
    if (!path.isDefinite()) {
      throw invalid(at, field + " must be a reference path selecting one value, got '" + node.textValue() + "'");
    }
    return path;
  }

  private static IllegalArgumentException invalid(String at, String reason) {
    return new IllegalArgumentException("invalid choice rule at " + (at.isEmpty() ? "/" : at) + ": " + reason);
  }
}
