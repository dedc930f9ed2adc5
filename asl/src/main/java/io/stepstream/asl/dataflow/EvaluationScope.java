package io.stepstream.asl.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.random.RandomGenerator;

/**
 * Everything an expression of one state may read.
 *
 * @param input the value {@code $} refers to (JSONPath) or {@code $states.input} (JSONata)
 * @param context the context object ({@code $$}, {@code $states.context})
 * @param variables the workflow variables visible from the state
 * @param random deterministic randomness for States.MathRandom, States.UUID, $random and $uuid:
 *     seeded from the execution and the event, so a replay draws the same values
 * @param result the task or state result ({@code $states.result}), or null
 * @param errorOutput the error being caught ({@code $states.errorOutput}), or null
 */
public record EvaluationScope(
    JsonNode input,
    JsonNode context,
    Variables variables,
    RandomGenerator random,
    JsonNode result,
    JsonNode errorOutput) {

  public static EvaluationScope of(JsonNode input, JsonNode context, Variables variables, RandomGenerator random) {
    return new EvaluationScope(input, context, variables, random, null, null);
  }

  public EvaluationScope withInput(JsonNode newInput) {
    return new EvaluationScope(newInput, context, variables, random, result, errorOutput);
  }

  public EvaluationScope withResult(JsonNode newResult) {
    return new EvaluationScope(input, context, variables, random, newResult, errorOutput);
  }

  public EvaluationScope withErrorOutput(JsonNode newErrorOutput) {
    return new EvaluationScope(input, context, variables, random, result, newErrorOutput);
  }
}
