package io.stepstream.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;

/**
 * A compiled value-producing field of a state (Parameters, ResultSelector, Arguments, Output, Assign,
 * ItemSelector, a Wait's Seconds, a Fail's Error...), whatever its query language.
 */
@FunctionalInterface
public interface ValueTemplate {

  /**
   * Evaluates the field.
   *
   * @param field the field's name, used in error messages ("Parameters", "Assign/x")
   * @return the value; never null (an undefined JSONata result fails instead)
   * @throws io.stepstream.asl.errors.StatesException when evaluation fails
   */
  JsonNode evaluate(EvaluationScope scope, String field);

  /** A template that always gives the same value. */
  static ValueTemplate constant(JsonNode value) {
    return (scope, field) -> value;
  }
}
