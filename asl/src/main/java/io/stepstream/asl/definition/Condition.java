package io.stepstream.asl.definition;

import io.stepstream.asl.dataflow.EvaluationScope;

/** A compiled Choice rule: a JSONPath rule tree or a JSONata {@code Condition}. */
@FunctionalInterface
public interface Condition {

  /**
   * @throws io.stepstream.asl.errors.StatesException when the rule cannot be evaluated
   */
  boolean test(EvaluationScope scope);
}
