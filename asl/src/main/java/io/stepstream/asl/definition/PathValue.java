package io.stepstream.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;

/**
 * A field given as a path ({@code SecondsPath}, {@code ItemsPath}, {@code MaxConcurrencyPath}...): its
 * value is what the path selects; a path that selects nothing fails as AWS fails it.
 */
public record PathValue(JsonPathExpression path) implements ValueTemplate {

  @Override
  public JsonNode evaluate(EvaluationScope scope, String field) {
    JsonNode value = path.read(scope);
    if (value == null) {
      throw StatesException.runtime("The JSONPath '" + path.text() + "' specified for the field '" + field
          + "' could not be found in the input '" + Json.write(scope.input()) + "'");
    }
    return value;
  }
}
