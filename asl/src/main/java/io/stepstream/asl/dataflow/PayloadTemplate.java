package io.stepstream.asl.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.intrinsics.IntrinsicCall;
import io.stepstream.asl.intrinsics.IntrinsicFunctions;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSONPath-mode payload template: the value of Parameters, ResultSelector, ItemSelector or Assign.
 *
 * <p>A field whose name ends in {@code .$} takes the value of a path ({@code $...} the input,
 * {@code $$...} the context object, {@code $name...} a variable) or of an intrinsic call, and loses the
 * suffix; every other value is copied as written. Objects and arrays nest, and objects inside arrays
 * are templates too.
 *
 * <p>The template is compiled once; the parts without a {@code .$} field anywhere below them are kept
 * as the definition's own nodes and shared by every evaluation (nodes are never mutated after they are
 * built), so a template without dynamic parts evaluates to the same node every time.
 */
public final class PayloadTemplate {
  private static final String SUFFIX = ".$";

  private final Node root;

  private PayloadTemplate(Node root) {
    this.root = root;
  }

  /**
   * Compiles a template.
   *
   * @throws IllegalArgumentException when a {@code .$} field does not hold a string that is a valid
   *     JSONPath or intrinsic call, or when two fields have the same name once the suffix is removed
   */
  public static PayloadTemplate compile(JsonNode template) {
    if (template == null) {
      throw new IllegalArgumentException("a payload template is required, got null");
    }
    return new PayloadTemplate(compileNode(template));
  }

  /** True when the template has no {@code .$} field: evaluation then returns one shared node. */
  public boolean isConstant() {
    return root instanceof Constant;
  }

  /**
   * Evaluates the template.
   *
   * @param field the state field being evaluated ("Parameters", "ResultSelector", ...), recorded as the
   *     location of a failure
   * @throws StatesException States.Runtime when a path selects nothing ("The JSONPath '$.x' specified
   *     for the field 'x.$' could not be found in the input '{...}'"), or an intrinsic call's error
   */
  public JsonNode evaluate(EvaluationScope scope, String field) {
    try {
      return root.evaluate(scope);
    } catch (StatesException e) {
      if (e.location() != null || field == null) {
        throw e;
      }
      throw new StatesException(e.error(), e.cause(), field);
    }
  }

  private static Node compileNode(JsonNode template) {
    if (template.isObject()) {
      return compileObject(template);
    }
    if (template.isArray()) {
      return compileArray(template);
    }
    return new Constant(template);
  }

  private static Node compileObject(JsonNode template) {
    List<String> names = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    boolean constant = true;
    for (Map.Entry<String, JsonNode> field : template.properties()) {
      String key = field.getKey();
      Node value;
      String name;
      if (key.endsWith(SUFFIX)) {
        name = key.substring(0, key.length() - SUFFIX.length());
        value = compileDynamic(key, field.getValue());
        constant = false;
      } else {
        name = key;
        value = compileNode(field.getValue());
        constant &= value instanceof Constant;
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("the field '" + name + "' appears twice once the '.$' suffix is removed");
      }
      names.add(name);
      values.add(value);
    }
    if (constant) {
      return new Constant(template);
    }
    return new ObjectTemplate(names.toArray(new String[0]), values.toArray(new Node[0]));
  }

  private static Node compileArray(JsonNode template) {
    Node[] items = new Node[template.size()];
    boolean constant = true;
    for (int i = 0; i < items.length; i++) {
      items[i] = compileNode(template.get(i));
      constant &= items[i] instanceof Constant;
    }
    return constant ? new Constant(template) : new ArrayTemplate(items);
  }

  private static Node compileDynamic(String key, JsonNode value) {
    String invalid = "The value for the field '" + key + "' must be a valid JSONPath or a valid intrinsic function call";
    if (!value.isTextual()) {
      throw new IllegalArgumentException(invalid);
    }
    String text = value.textValue();
    try {
      if (IntrinsicFunctions.looksLikeIntrinsic(text)) {
        return new CallValue(IntrinsicFunctions.parse(text));
      }
      return new PathValue(key, JsonPathExpression.compile(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(invalid + ": " + e.getMessage(), e);
    }
  }

  /** One compiled part of a template. */
  private sealed interface Node {
    JsonNode evaluate(EvaluationScope scope);
  }

  private record Constant(JsonNode value) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      return value;
    }
  }

  private record ObjectTemplate(String[] names, Node[] values) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      ObjectNode out = Json.object();
      for (int i = 0; i < names.length; i++) {
        out.set(names[i], values[i].evaluate(scope));
      }
      return out;
    }
  }

  private record ArrayTemplate(Node[] items) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      ArrayNode out = Json.array();
      for (Node item : items) {
        out.add(item.evaluate(scope));
      }
      return out;
    }
  }

  private record PathValue(String key, JsonPathExpression path) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      return path.readRequired(scope, key);
    }
  }

  private record CallValue(IntrinsicCall call) implements Node {
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
      return call.evaluate(scope);
    }
  }
}
