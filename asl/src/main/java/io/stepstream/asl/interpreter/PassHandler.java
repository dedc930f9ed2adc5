package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;

/** The Pass state: its result is {@code Result}, or its effective input. */
final class PassHandler {

  private PassHandler() {}

  static void run(Runner runner, String frameId, State.Pass pass, JsonNode raw) {
    if (pass.flow().isJsonata()) {
      EvaluationScope scope = runner.s.scope(frameId, pass, raw, null);
      runner.succeed(frameId, pass, raw, raw, scope);
      return;
    }
    JsonNode input = runner.s.input(frameId, pass, raw);
    EvaluationScope scope = runner.s.scope(frameId, pass, input, null);
    JsonNode result = pass.result() != null ? pass.result() : InputOutput.effectiveInput(pass.flow(), scope);
    runner.succeed(frameId, pass, raw, result, scope);
  }
}
