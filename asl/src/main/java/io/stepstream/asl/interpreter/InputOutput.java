package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.PathFailures;
import io.stepstream.asl.definition.DataFlow;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.json.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * A state's input and output processing: InputPath, Parameters, ResultSelector, ResultPath and
 * OutputPath in JSONPath states; Arguments and Output in JSONata states; Assign in both.
 * See docs/dataflow.md for how they interact with Retry and Catch.
 */
final class InputOutput {

  private InputOutput() {}

  /** InputPath applied to the raw input ({@code rawScope.input()}); JSONata states take the raw input. */
  static JsonNode selectInput(DataFlow flow, EvaluationScope rawScope) {
    if (flow.isJsonata() || flow.inputPath() == null && !flow.inputPathNull()) {
      return rawScope.input();
    }
    if (flow.inputPathNull()) {
      return Json.object();
    }
    return read(flow.inputPath(), rawScope);
  }

  /** The effective input: InputPath then Parameters (JSONPath) or Arguments (JSONata). */
  static JsonNode effectiveInput(DataFlow flow, EvaluationScope scope) {
    if (flow.parameters() == null) {
      return scope.input();
    }
    return flow.parameters().evaluate(scope, flow.isJsonata() ? "Arguments" : "Parameters");
  }

  /**
   * The state output from its raw input and result.
   *
   * @param scope input = the raw input for JSONata, the effective input for JSONPath
   */
  static JsonNode output(DataFlow flow, JsonNode raw, JsonNode result, EvaluationScope scope) {
    if (flow.isJsonata()) {
      if (flow.output() == null) {
        return result;
      }
      return flow.output().evaluate(scope.withInput(raw).withResult(result), "Output");
    }
    return selectOutput(flow, scope, mergeResult(flow, raw, selectResult(flow, result, scope)));
  }

  /** ResultSelector applied to a result (JSONPath states); the result itself without one. */
  static JsonNode selectResult(DataFlow flow, JsonNode result, EvaluationScope scope) {
    if (flow.resultSelector() == null) {
      return result;
    }
    return flow.resultSelector().evaluate(scope.withInput(result), "ResultSelector");
  }

  /** ResultPath: the selected result written into the raw input (JSONPath states). */
  static JsonNode mergeResult(DataFlow flow, JsonNode raw, JsonNode selected) {
    if (flow.resultPathNull()) {
      return raw;
    }
    if (flow.resultPath() == null) {
      return selected;
    }
    return flow.resultPath().write(raw, selected);
  }

  /** OutputPath applied to a value; {@code scope} supplies the context object and variables. */
  static JsonNode selectOutput(DataFlow flow, EvaluationScope scope, JsonNode value) {
    if (flow.outputPathNull()) {
      return Json.object();
    }
    if (flow.outputPath() == null) {
      return value;
    }
    return read(flow.outputPath(), scope.withInput(value));
  }

  /**
   * Evaluates an Assign template into variable name -> value; all values see the variables as they
   * were before the state.
   */
  static Map<String, JsonNode> assign(ValueTemplate assign, EvaluationScope scope) {
    JsonNode values = assign.evaluate(scope, "Assign");
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The error output of a caught or failed state: {"Error": ..., "Cause": ...}. */
  static ObjectNode errorOutput(String error, String cause) {
    ObjectNode node = Json.object();
    node.put("Error", error);
    node.put("Cause", cause);
    return node;
  }

  static JsonNode read(JsonPathExpression path, EvaluationScope scope) {
    JsonNode value = path.read(scope);
    if (value == null) {
      throw PathFailures.invalidPath(path, scope);
    }
    return value;
  }
}
