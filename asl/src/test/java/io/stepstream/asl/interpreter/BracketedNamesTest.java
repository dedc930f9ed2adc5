package io.stepstream.asl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import io.stepstream.proto.ExecutionStatus;
import org.junit.jupiter.api.Test;

/**
 * Bracketed member names with backslashes and quotes ({@code $['a\b']}) read the key between the quotes,
 * character for character, in every field that takes a path.
 */
class BracketedNamesTest {

  // The input's keys: a\b, it's, say "x" and dir\ (each in JSON text as escaped below).
  private static final String INPUT = """
      {"a\\\\b": {"it's": 1}, "say \\"x\\"": "quoted", "dir\\\\": {"n": 2}}""";

  @Test
  void shouldReadLiteralNamesInInputPathParametersResultPathAndOutputPath() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Copy", "States": {"Copy": {"Type": "Pass",
          "InputPath": "$['a\\\\b']",
          "Parameters": {"first.$": "$[\\"it's\\"]", "all.$": "$"},
          "ResultPath": "$['out\\\\put']",
          "OutputPath": "$['out\\\\put']",
          "End": true}}}""");

    run.start(INPUT);

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(run.state.getOutput())).isEqualTo(Json.parse("{\"first\": 1, \"all\": {\"it's\": 1}}"));
  }

  @Test
  void shouldReadLiteralNamesInChoiceRulesAndIntrinsicArguments() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Pick", "States": {
          "Pick": {"Type": "Choice", "Choices": [
            {"Variable": "$['dir\\\\'].n", "NumericEquals": 2, "Next": "Say"}], "Default": "Other"},
          "Say": {"Type": "Pass", "End": true,
                  "Parameters": {"s.$": "States.Format('{} {}', $['say \\"x\\"'], $['a\\\\b'][\\"it's\\"])"}},
          "Other": {"Type": "Fail", "Error": "Missed"}}}""");

    run.start(INPUT);

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.state.getOutput()).isEqualTo("{\"s\":\"quoted 1\"}");
  }

  @Test
  void shouldNameTheFirstMissingFieldWhenAnOutputPathSelectsNothing() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Copy", "States": {"Copy": {"Type": "Pass", "OutputPath": "$.no.such.field", "End": true}}}""");

    run.start(INPUT);

    assertThat(run.state.getError()).isEqualTo("States.Runtime");
    assertThat(run.state.getCause()).isEqualTo("An error occurred while executing the state 'Copy' (entered at the"
        + " event id #2). Invalid path '$.no.such.field' : Missing property in path $['no']");
  }
}
