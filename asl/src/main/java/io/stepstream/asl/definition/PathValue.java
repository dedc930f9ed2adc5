package io.stepstream.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;

/**
 * A field given as a path ({@code SecondsPath}, {@code ItemsPath}, {@code MaxConcurrencyPath}...): its
 * value is what the path selects; a path that selects nothing fails as AWS fails it.
 */
public record PathValue(JsonPathExpression path) implements ValueTemplate {

  @Override
  public JsonNode evaluate(EvaluationScope scope, String field) {
    return path.readRequired(scope, field);
  }

}
