package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.DataFlow;

/**
 * The steps of a state's input and output processing one at a time, as TestState shows them
 * (afterInputPath, afterParameters, afterResultSelector, afterResultPath). The interpreter runs the
 * same steps through {@link InputOutput}; this class only opens them to callers outside the package.
 * Each method may throw {@link io.stepstream.asl.errors.StatesException} as the state would fail.
 */
public final class DataFlowSteps {

  private DataFlowSteps() {}

  /** InputPath applied to the raw input ({@code rawScope.input()}); JSONata states keep the raw input. */
  public static JsonNode afterInputPath(DataFlow flow, EvaluationScope rawScope) {
    return InputOutput.selectInput(flow, rawScope);
  }

  /** Parameters (JSONPath) or Arguments (JSONata) applied to {@code scope.input()}. */
  public static JsonNode afterParameters(DataFlow flow, EvaluationScope scope) {
    return InputOutput.effectiveInput(flow, scope);
  }

  /** ResultSelector applied to a result. */
  public static JsonNode afterResultSelector(DataFlow flow, JsonNode result, EvaluationScope scope) {
    return InputOutput.selectResult(flow, result, scope);
  }

  /** ResultPath: the selected result written into the raw input. */
  public static JsonNode afterResultPath(DataFlow flow, JsonNode raw, JsonNode selected) {
    return InputOutput.mergeResult(flow, raw, selected);
  }
}
