package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import java.util.Map;

/** The Choice state: the first rule that matches names the next state, else Default. */
final class ChoiceHandler {

  private ChoiceHandler() {}

  static void run(Runner runner, String frameId, State.Choice choice, JsonNode raw) {
    boolean jsonata = choice.flow().isJsonata();
    JsonNode input = runner.s.input(frameId, choice, raw);
    EvaluationScope scope = runner.s.scope(frameId, choice, input, null);
    String next = choice.defaultNext();
    ValueTemplate assign = choice.flow().assign();
    ValueTemplate output = choice.flow().output();
    boolean matched = false;
    for (State.ChoiceBranch branch : choice.choices()) {
      if (branch.condition().test(scope)) {
        next = branch.next();
        if (branch.assign() != null) {
          assign = branch.assign();
        }
        if (branch.output() != null) {
          output = branch.output();
        }
        matched = true;
        break;
      }
    }
    if (next == null) {
      throw new StatesException(StatesErrors.NO_CHOICE_MATCHED,
          "No Matches!");
    }
    if (!matched && choice.flow().assign() == null) {
      assign = null;
    }
    Map<String, JsonNode> assigned = assign == null ? null
        : InputOutput.assign(assign, jsonata ? scope : scope);
    JsonNode out = jsonata
        ? (output == null ? raw : output.evaluate(scope, "Output"))
        : InputOutput.selectOutput(choice.flow(), scope, input);
    runner.exit(frameId, choice, raw, out, assigned, next);
  }
}
