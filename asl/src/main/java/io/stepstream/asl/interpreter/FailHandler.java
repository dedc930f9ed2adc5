package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;

/** The Fail state: ends its flow with Error and Cause (or ErrorPath and CausePath). */
final class FailHandler {

  private FailHandler() {}

  static void run(Runner runner, String frameId, State.Fail fail, JsonNode raw) {
    EvaluationScope scope = runner.s.scope(frameId, fail, raw, null);
    boolean jsonata = fail.flow().isJsonata();
    String error = text(fail.error(), scope, jsonata ? "Error" : "ErrorPath");
    String cause = text(fail.cause(), scope, jsonata ? "Cause" : "CausePath");
    runner.failFlow(frameId, error, cause);
  }

  private static String text(ValueTemplate template, EvaluationScope scope, String field) {
    if (template == null) {
      return null;
    }
    JsonNode value = template.evaluate(scope, field);
    return value.isTextual() ? value.textValue() : value.toString();
  }
}
