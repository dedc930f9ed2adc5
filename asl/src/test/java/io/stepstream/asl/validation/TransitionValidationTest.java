package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlyError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.machine;
import static io.stepstream.asl.validation.Definitions.validate;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** StartAt, Next, Default and Catch targets; reachability; terminal states. */
class TransitionValidationTest {

  private static final String TARGET = "MISSING_TRANSITION_TARGET";

  @Test
  void shouldReportAStartAtThatNamesNoState() {
    ValidationResult result = validate("{'StartAt': 'Nope', 'States': {'A': {'Type': 'Succeed'}}}");

    assertOnlyError(result, TARGET, "Missing 'StartAt' target: Nope", "/StartAt");
  }

  @Test
  void shouldReportANextThatNamesNoState() {
    ValidationResult result = validate(machine("'A': {'Type': 'Pass', 'Next': 'B'}, 'C': {'Type': 'Succeed'}"));

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Missing 'Next' target: B", "/States/A/Next"),
        org.assertj.core.groups.Tuple.tuple("State \"C\" is not reachable.", "/States/C"));
  }

  @Test
  void shouldReportADefaultThatNamesNoState() {
    ValidationResult result = validate(machine("'A': {'Type': 'Choice', 'Default': 'Z', 'Choices': ["
        + "{'Variable': '$.x', 'IsNull': true, 'Next': 'B'}]}, 'B': {'Type': 'Succeed'}"));

    assertOnlyError(result, TARGET, "Missing 'Default' target: Z", "/States/A/Default");
  }

  @Test
  void shouldReportAChoiceRuleTargetThatNamesNoState() {
    ValidationResult result = validate(machine("'A': {'Type': 'Choice', 'Default': 'B', 'Choices': ["
        + "{'Variable': '$.x', 'IsNull': true, 'Next': 'Z'}]}, 'B': {'Type': 'Succeed'}"));

    assertOnlyError(result, TARGET, "Missing 'Next' target: Z", "/States/A/Choices/0/Next");
  }

  @Test
  void shouldReportACatchTargetThatNamesNoState() {
    ValidationResult result = validate(machine("'A': {'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true,"
        + " 'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'Z'}]}"));

    assertOnlyError(result, TARGET, "Missing 'Next' target: Z", "/States/A/Catch/0/Next");
  }

  @Test
  void shouldFollowChoiceAndCatchTransitionsForReachability() {
    assertValid(validate(machine("'A': {'Type': 'Choice', 'Default': 'B', 'Choices': ["
        + "{'Variable': '$.x', 'IsNull': true, 'Next': 'C'}]},"
        + " 'B': {'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true,"
        + "       'Catch': [{'ErrorEquals': ['States.ALL'], 'Next': 'D'}]},"
        + " 'C': {'Type': 'Succeed'}, 'D': {'Type': 'Fail'}")));
  }

  @Test
  void shouldReportUnreachableStates() {
    ValidationResult result = validate(machine("'A': {'Type': 'Succeed'}, 'B': {'Type': 'Succeed'}"));

    assertOnlyError(result, TARGET, "State \"B\" is not reachable.", "/States/B");
  }

  @Test
  void shouldReportAWorkflowWithNoTerminalState() {
    ValidationResult result = validate(machine("'A': {'Type': 'Pass', 'Next': 'B'}, 'B': {'Type': 'Pass', 'Next': 'A'}"));

    assertOnlyError(result, "MISSING_END_STATE", "Workflow has no terminal state", null);
    assertThat(result.invalidDefinitionMessage())
        .isEqualTo("Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
  }

  @Test
  void shouldReportAnUnreachableTerminalStateRatherThanNoTerminalState() {
    ValidationResult result = validate(machine(
        "'A': {'Type': 'Pass', 'Next': 'B'}, 'B': {'Type': 'Pass', 'Next': 'A'}, 'C': {'Type': 'Pass', 'End': true}"));

    assertOnlyError(result, TARGET, "State \"C\" is not reachable.", "/States/C");
  }

  @Test
  void shouldCheckTransitionsInsideABranchAgainstTheBranchOnly() {
    ValidationResult result = validate(machine("'A': {'Type': 'Parallel', 'Next': 'B', 'Branches': ["
        + "{'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'Next': 'B'}}}]}, 'B': {'Type': 'Succeed'}"));

    assertThat(result.diagnostics()).extracting(Diagnostic::code, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("MISSING_TRANSITION_TARGET", "/States/A/Branches/0/States/P/Next"),
        org.assertj.core.groups.Tuple.tuple("MISSING_END_STATE", "/States/A/Branches/0"));
  }
}
