package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Choice state: its {@code Choices} and {@code Default}, and the structure of every rule. A JSONPath
 * rule is a boolean operator (And, Or, Not) or a {@code Variable} with exactly one comparison; a JSONata
 * rule is a {@code Condition}. Top-level rules carry {@code Next}; nested rules must not.
 */
final class ChoiceRuleChecker {

  /** What the value of each comparison operator must be. */
  private enum Operand { STRING, NUMBER, BOOLEAN, TIMESTAMP, PATH, TEST }

  private static final Map<String, Operand> COMPARISONS = comparisons();
  private static final Set<String> BOOLEAN_OPERATORS = Set.of("And", "Or", "Not");
  /** Fields a top-level rule may have besides its condition. */
  private static final Set<String> TOP_LEVEL_EXTRAS = Set.of("Next", "Comment", "Assign", "Output");

  private ChoiceRuleChecker() {}

  static void check(StateContext state) {
    Fields fields = state.fields();
    fields.require("Choices");
    fields.string("Default");
    ArrayNode choices = fields.nonEmptyArray("Choices");
    if (choices == null) {
      return;
    }
    for (int i = 0; i < choices.size(); i++) {
      String pointer = Pointer.child(fields.at("Choices"), i);
      JsonNode rule = choices.get(i);
      if (!rule.isObject()) {
        state.findings().schema("Expected value of type Object", pointer);
        continue;
      }
      Fields ruleFields = new Fields((ObjectNode) rule, pointer, state.findings());
      ruleFields.require("Next");
      ruleFields.string("Next");
      ruleFields.string("Comment");
      DataFlowChecker.assign(ruleFields, state.language());
      if (state.isJsonata()) {
        jsonataRule(ruleFields);
      } else {
        if (ruleFields.has("Output")) {
          ruleFields.wrongLanguage("Output", QueryLanguage.JSONPATH);
        }
        jsonPathRule(ruleFields, true);
      }
    }
  }

  private static void jsonataRule(Fields rule) {
    for (Iterator<String> names = rule.object().fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (name.equals("Variable") || COMPARISONS.containsKey(name) || BOOLEAN_OPERATORS.contains(name)) {
        rule.wrongLanguage(name, QueryLanguage.JSONATA);
      } else if (!name.equals("Condition") && !TOP_LEVEL_EXTRAS.contains(name)) {
        rule.notSupported(name);
      }
    }
    rule.require("Condition");
    JsonNode condition = rule.get("Condition");
    if (condition != null) {
      if (condition.isTextual()) {
        String error = ExpressionSyntax.jsonataError(condition.textValue());
        if (error != null) {
          rule.findings().schema(error, rule.at("Condition"));
        }
      } else if (!condition.isBoolean()) {
        rule.typeMismatch("Condition", "String");
      }
    }
    if (rule.has("Output")) {
      DataFlowChecker.jsonataValue(rule.get("Output"), rule.at("Output"), rule.findings());
    }
  }

  /** Checks one JSONPath rule; {@code topLevel} rules are the elements of Choices. */
  private static void jsonPathRule(Fields rule, boolean topLevel) {
    List<String> operators = new ArrayList<>();
    for (Iterator<String> names = rule.object().fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (COMPARISONS.containsKey(name) || BOOLEAN_OPERATORS.contains(name)) {
        operators.add(name);
      } else if (name.equals("Condition")) {
        rule.wrongLanguage(name, QueryLanguage.JSONPATH);
      } else if (!name.equals("Variable") && !(topLevel && TOP_LEVEL_EXTRAS.contains(name))) {
        rule.notSupported(name);
      }
    }
    if (operators.isEmpty()) {
      rule.findings().schema("A Choice rule must have one comparison operator or one of [And, Or, Not]",
          rule.pointer());
      return;
    }
    if (operators.size() > 1) {
      rule.findings().schema("A Choice rule must have exactly one comparison operator or one of [And, Or, Not], "
          + "found: " + operators, rule.pointer());
      return;
    }
    String operator = operators.get(0);
    if (BOOLEAN_OPERATORS.contains(operator)) {
      if (rule.has("Variable")) {
        rule.notSupported("Variable");
      }
      booleanOperator(rule, operator);
    } else {
      rule.require("Variable");
      String variable = rule.string("Variable");
      if (variable != null && ExpressionSyntax.definitePathError(variable) != null) {
        rule.findings().schema("Value must be a valid JSONPath.", rule.at("Variable"));
      }
      comparison(rule, operator);
    }
  }

  private static void booleanOperator(Fields rule, String operator) {
    if (operator.equals("Not")) {
      ObjectNode inner = rule.objectField("Not");
      if (inner != null) {
        jsonPathRule(new Fields(inner, rule.at("Not"), rule.findings()), false);
      }
      return;
    }
    ArrayNode rules = rule.nonEmptyArray(operator);
    if (rules == null) {
      return;
    }
    for (int i = 0; i < rules.size(); i++) {
      String pointer = Pointer.child(rule.at(operator), i);
      if (rules.get(i).isObject()) {
        jsonPathRule(new Fields((ObjectNode) rules.get(i), pointer, rule.findings()), false);
      } else {
        rule.findings().schema("Expected value of type Object", pointer);
      }
    }
  }

  private static void comparison(Fields rule, String operator) {
    JsonNode value = rule.get(operator);
    switch (COMPARISONS.get(operator)) {
      case STRING, TIMESTAMP -> {
        if (!value.isTextual()) {
          rule.typeMismatch(operator, "String");
        }
      }
      case NUMBER -> {
        if (!value.isNumber()) {
          rule.typeMismatch(operator, "Number");
        }
      }
      case BOOLEAN, TEST -> rule.bool(operator);
      case PATH -> {
        String path = rule.string(operator);
        if (path != null && ExpressionSyntax.definitePathError(path) != null) {
          rule.findings().schema("Value must be a valid JSONPath.", rule.at(operator));
        }
      }
    }
  }

  private static Map<String, Operand> comparisons() {
    Map<String, Operand> map = new java.util.HashMap<>();
    Set<String> orders = new HashSet<>(List.of("Equals", "LessThan", "GreaterThan", "LessThanEquals",
        "GreaterThanEquals"));
    for (String order : orders) {
      map.put("String" + order, Operand.STRING);
      map.put("Numeric" + order, Operand.NUMBER);
      map.put("Timestamp" + order, Operand.TIMESTAMP);
      map.put("String" + order + "Path", Operand.PATH);
      map.put("Numeric" + order + "Path", Operand.PATH);
      map.put("Timestamp" + order + "Path", Operand.PATH);
    }
    map.put("StringMatches", Operand.STRING);
    map.put("BooleanEquals", Operand.BOOLEAN);
    map.put("BooleanEqualsPath", Operand.PATH);
    for (String test : List.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")) {
      map.put(test, Operand.TEST);
    }
    return Map.copyOf(map);
  }
}
