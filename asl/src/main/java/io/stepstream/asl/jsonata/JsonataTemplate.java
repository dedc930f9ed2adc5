package io.stepstream.asl.jsonata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSONata-state field value: a {@code {% ... %}} expression, or an object or array whose string
 * leaves may be expressions (at any depth), or a constant. Used for {@code Arguments},
 * {@code Output}, {@code Assign}, {@code Items}, {@code Condition} and every other field that takes
 * JSONata.
 *
 * <p>Compiled once; immutable and thread-safe. Every expression of one template is evaluated
 * against the same scope, so the values of {@code Assign} all see the variables as they were
 * before the state. Constant parts are shared, never copied: callers must not modify the nodes
 * returned.
 */
public final class JsonataTemplate {

  private static final String OPEN = "{%";
  private static final String CLOSE = "%}";

  private final Node root;

  private JsonataTemplate(Node root) {
    this.root = root;
  }

  /** Whether a string is one JSONata expression: exactly {@code {% ... %}} after trimming. */
  public static boolean isExpression(String s) {
    if (s == null) {
      return false;
    }
    String trimmed = s.strip();
    return trimmed.length() >= OPEN.length() + CLOSE.length() && trimmed.startsWith(OPEN) && trimmed.endsWith(CLOSE);
  }

  /**
   * Compiles a field value.
   *
   * @throws IllegalArgumentException when an expression in it does not parse
   */
  public static JsonataTemplate compile(JsonNode template) {
    return new JsonataTemplate(node(template == null ? Json.NODES.nullNode() : template));
  }

  /** Whether the template has no expression at all (its value is always the same). */
  public boolean isConstant() {
    return root instanceof Constant;
  }

  /**
   * The value of the template.
   *
   * @param field the field path used in messages and as the error location ("Output", "Arguments")
   * @throws StatesException {@code States.QueryEvaluationError} when an expression fails or returns
   *     nothing (undefined); for an expression inside an object or array the location is the path to it
   *     ("Output/result")
   */
  public JsonNode evaluate(EvaluationScope scope, String field) {
    return root.evaluate(scope, field);
  }

  /**
   * The value of the template, which must be of a JSON type.
   *
   * @param expectedType "array", "object", "string", "number", "boolean" or "null"
   * @throws StatesException {@code States.QueryEvaluationError} as {@link #evaluate}, and with AWS's
   *     "returned an unexpected result type" cause when an expression gives a value of another type
   */
  public JsonNode evaluate(EvaluationScope scope, String field, String expectedType) {
    JsonNode value = root.evaluate(scope, field);
    if (!JsonataErrors.typeName(value).equals(expectedType)) {
      throw JsonataErrors.unexpectedType(root.describe(), field, expectedType, value);
    }
    return value;
  }

  /**
   * The value of a Choice rule's {@code Condition}.
   *
   * @throws StatesException {@code States.QueryEvaluationError} when the expression fails, returns
   *     nothing, or returns something other than a boolean
   */
  public boolean evaluateCondition(EvaluationScope scope, String field) {
    return evaluate(scope, field, "boolean").booleanValue();
  }

  @Override
  public String toString() {
    return root.describe();
  }

  private static Node node(JsonNode template) {
    if (template.isTextual() && isExpression(template.textValue())) {
      String trimmed = template.textValue().strip();
      String inner = trimmed.substring(OPEN.length(), trimmed.length() - CLOSE.length()).strip();
      return new Expression(JsonataExpression.compile(inner));
    }
    if (template.isObject()) {
      List<String> keys = new ArrayList<>(template.size());
      List<Node> values = new ArrayList<>(template.size());
      boolean constant = true;
      for (Map.Entry<String, JsonNode> field : template.properties()) {
        Node value = node(field.getValue());
        keys.add(field.getKey());
        values.add(value);
        constant &= value instanceof Constant;
      }
      return constant ? new Constant(template)
          : new ObjectTemplate(keys.toArray(String[]::new), values.toArray(Node[]::new), template);
    }
    if (template.isArray()) {
      List<Node> elements = new ArrayList<>(template.size());
      boolean constant = true;
      for (JsonNode element : template) {
        Node value = node(element);
        elements.add(value);
        constant &= value instanceof Constant;
      }
      return constant ? new Constant(template) : new ArrayTemplate(elements.toArray(Node[]::new), template);
    }
    return new Constant(template);
  }

  private static String path(String field, String member) {
    return field == null || field.isEmpty() ? member : field + "/" + member;
  }

  private sealed interface Node permits Constant, Expression, ObjectTemplate, ArrayTemplate {
    JsonNode evaluate(EvaluationScope scope, String field);

    /** The text AWS quotes for this value in a type error: the expression, or the JSON. */
    String describe();
  }

  private record Constant(JsonNode value) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope, String field) {
      return value;
    }

    @Override
    public String describe() {
      return Json.write(value);
    }
  }

  private record Expression(JsonataExpression expression) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope, String field) {
      JsonNode value = expression.evaluate(scope, field);
      if (value == null) {
        throw JsonataErrors.undefined(expression.text(), field);
      }
      return value;
    }

    @Override
    public String describe() {
      return expression.text();
    }
  }

  private record ObjectTemplate(String[] keys, Node[] values, JsonNode source) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope, String field) {
      ObjectNode object = Json.object();
      for (int i = 0; i < keys.length; i++) {
        object.set(keys[i], values[i].evaluate(scope, path(field, keys[i])));
      }
      return object;
    }

    @Override
    public String describe() {
      return Json.write(source);
    }
  }

  private record ArrayTemplate(Node[] elements, JsonNode source) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope, String field) {
      ArrayNode array = Json.array();
      for (int i = 0; i < elements.length; i++) {
        array.add(elements[i].evaluate(scope, path(field, Integer.toString(i))));
      }
      return array;
    }

    @Override
    public String describe() {
      return Json.write(source);
    }
  }
}
