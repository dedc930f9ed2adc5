package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlyError;
import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.machine;
import static io.stepstream.asl.validation.Definitions.validate;
import static io.stepstream.asl.validation.Definitions.validateState;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Type, the fields each state type accepts, Next and End, and state names. */
class StateFieldsValidationTest {

  @Test
  void shouldReportAStateWithoutType() {
    assertOnlySchemaError(validateState("'End': true"), "These fields are required: [Type]", "/States/A");
  }

  @Test
  void shouldReportAnUnknownType() {
    assertOnlySchemaError(validateState("'Type': 'Sleep', 'End': true"),
        "Value should be one of the following: [Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait]",
        "/States/A/Type");
  }

  @Test
  void shouldReportAStateThatIsNotAnObject() {
    ValidationResult result = validate(machine("'A': 'Succeed'"));

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location)
        .contains(org.assertj.core.groups.Tuple.tuple("Expected value of type Object", "/States/A"));
  }

  @ParameterizedTest(name = "{0} does not support {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "'Type': 'Pass', 'End': true | TimeoutSeconds | 5",
      "'Type': 'Pass', 'End': true | Retry | []",
      "'Type': 'Pass', 'End': true | Catch | []",
      "'Type': 'Wait', 'End': true, 'Seconds': 1 | ResultPath | '$.x'",
      "'Type': 'Succeed' | Assign | {}",
      "'Type': 'Fail' | Assign | {}",
      "'Type': 'Fail' | InputPath | '$'",
      "'Type': 'Succeed' | ResultPath | '$'",
      "'Type': 'Map', 'End': true, 'ItemProcessor': {'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}} | TimeoutSeconds | 5",
      "'Type': 'Parallel', 'End': true, 'Branches': [{'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}] | HeartbeatSeconds | 5",
      "'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true | Branches | []",
  })
  void shouldReportAFieldTheStateTypeDoesNotSupport(String state, String field, String value) {
    ValidationResult result = validateState(state + ", '" + field + "': " + value);

    assertOnlySchemaError(result, "Field '" + field + "' is not supported", "/States/A");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Choice", "Succeed", "Fail"})
  void shouldReportNextAndEndOnStatesThatHaveNeither(String type) {
    String body = type.equals("Choice")
        ? "'Type': 'Choice', 'Choices': [{'Variable': '$.x', 'IsNull': true, 'Next': 'B'}], 'Default': 'B'"
        : "'Type': '" + type + "'";
    ValidationResult result = validate(machine("'A': {" + body + ", 'End': true, 'Next': 'B'}, 'B': {'Type': 'Succeed'}"));

    assertThat(result.diagnostics()).extracting(Diagnostic::message)
        .contains("Field 'Next' is not supported", "Field 'End' is not supported");
  }

  @Test
  void shouldReportNextAndEndTogether() {
    ValidationResult result = validate(machine("'A': {'Type': 'Pass', 'Next': 'B', 'End': true}, 'B': {'Type': 'Succeed'}"));

    assertOnlySchemaError(result, "Only one of the fields [Next, End] can be set", "/States/A");
  }

  @Test
  void shouldReportNeitherNextNorEnd() {
    ValidationResult result = validate(machine("'A': {'Type': 'Pass', 'End': false}, 'B': {'Type': 'Succeed'}"));

    assertThat(result.diagnostics()).extracting(Diagnostic::message).contains("These fields are required: [Next or End]");
  }

  @Test
  void shouldReportANonBooleanEnd() {
    ValidationResult result = validateState("'Type': 'Pass', 'End': 'true'");

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location)
        .contains(org.assertj.core.groups.Tuple.tuple("Expected value of type Boolean", "/States/A/End"));
  }

  @Test
  void shouldReportAStateNameLongerThan80Characters() {
    String name = "N".repeat(81);
    ValidationResult result = validate("{'StartAt': '" + name + "', 'States': {'" + name + "': {'Type': 'Succeed'}}}");

    assertOnlyError(result, "INVALID_STATE_NAME", "State name must be between 1 and 80 characters long",
        "/States/" + name);
  }

  @Test
  void shouldAcceptAStateNameOf80Characters() {
    String name = "N".repeat(80);
    assertValid(validate("{'StartAt': '" + name + "', 'States': {'" + name + "': {'Type': 'Succeed'}}}"));
  }

  @Test
  void shouldReportACommentThatIsNotAString() {
    assertOnlySchemaError(validateState("'Type': 'Succeed', 'Comment': 5"), "Expected value of type String",
        "/States/A/Comment");
  }
}
