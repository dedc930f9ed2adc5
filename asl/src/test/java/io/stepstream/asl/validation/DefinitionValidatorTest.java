package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlyError;
import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stepstream.asl.json.Json;
import org.junit.jupiter.api.Test;

/** The entry points, malformed input, the top-level fields and the InvalidDefinition message. */
class DefinitionValidatorTest {

  @Test
  void shouldAcceptAMinimalDefinition() {
    assertValid(validate("{'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}"));
  }

  @Test
  void shouldAcceptEveryTopLevelField() {
    assertValid(validate("{'Comment': 'c', 'Version': '1.0', 'TimeoutSeconds': 60, 'QueryLanguage': 'JSONPath',"
        + " 'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}"));
  }

  @Test
  void shouldValidateAParsedDefinition() {
    ValidationResult result = DefinitionValidator.validate(
        Json.parse("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\", \"X\": 1}}}"));

    assertOnlySchemaError(result, "Field 'X' is not supported", "/States/A");
  }

  @Test
  void shouldReportMalformedJsonAsADiagnostic() {
    ValidationResult result = DefinitionValidator.validate("{\"StartAt\": ");

    assertThat(result.ok()).isFalse();
    assertThat(result.diagnostics()).singleElement()
        .satisfies(d -> assertThat(d.code()).isEqualTo("INVALID_JSON_DESCRIPTION"))
        .satisfies(d -> assertThat(d.message()).contains("line 1"));
  }

  @Test
  void shouldReportTrailingGarbageAsMalformedJson() {
    ValidationResult result = DefinitionValidator.validate("{\"StartAt\": \"A\"} x");

    assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("INVALID_JSON_DESCRIPTION");
  }

  @Test
  void shouldReportAMissingDefinition() {
    assertOnlyError(DefinitionValidator.validate(" "), "MISSING_DESCRIPTION",
        "Received a null or empty workflow input", null);
    assertOnlyError(DefinitionValidator.validate((String) null), "MISSING_DESCRIPTION",
        "Received a null or empty workflow input", null);
  }

  @Test
  void shouldReportADefinitionThatIsNotAnObject() {
    assertOnlySchemaError(validate("[1]"), "Expected value of type Object", "");
  }

  @Test
  void shouldReportADuplicateStateNameInTheJsonText() {
    ValidationResult result = validate("{'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}, 'A': {'Type': 'Succeed'}}}");

    assertOnlyError(result, "DUPLICATE_STATE_NAME", "Duplicate State name: A", "/States/A");
  }

  @Test
  void shouldReportADuplicateStateNameAcrossNestingLevels() {
    ValidationResult result = validate(Definitions.machine("'A': {'Type': 'Parallel', 'End': true, 'Branches': ["
        + "{'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}]}"));

    assertOnlyError(result, "DUPLICATE_STATE_NAME", "Duplicate State name: A", "/States/A/Branches/0/States/A");
  }

  @Test
  void shouldReportUnknownTopLevelFields() {
    ValidationResult result = validate("{'Coment': 'x', 'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "Field 'Coment' is not supported", "");
  }

  @Test
  void shouldReportMissingStartAtAndStatesInOneDiagnostic() {
    assertOnlySchemaError(validate("{'Comment': 'x'}"), "These fields are required: [StartAt, States]", "");
  }

  @Test
  void shouldReportTopLevelFieldsOfTheWrongType() {
    ValidationResult result = validate("{'Comment': 1, 'Version': 2, 'TimeoutSeconds': 'x', 'StartAt': 3,"
        + " 'States': {'A': {'Type': 'Succeed'}}}");

    assertThat(result.diagnostics()).extracting(Diagnostic::message, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Expected value of type String", "/Comment"),
        org.assertj.core.groups.Tuple.tuple("Expected value of type String", "/Version"),
        org.assertj.core.groups.Tuple.tuple("Expected value of type Integer", "/TimeoutSeconds"),
        org.assertj.core.groups.Tuple.tuple("Expected value of type String", "/StartAt"));
  }

  @Test
  void shouldReportANegativeTopLevelTimeout() {
    ValidationResult result = validate("{'TimeoutSeconds': -1, 'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "Minimum value is 0", "/TimeoutSeconds");
  }

  @Test
  void shouldReportAnUnknownQueryLanguage() {
    ValidationResult result = validate("{'QueryLanguage': 'jsonata', 'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "Value should be one of the following: [JSONPath, JSONata]", "/QueryLanguage");
  }

  @Test
  void shouldReportEmptyStates() {
    assertOnlySchemaError(validate("{'StartAt': 'A', 'States': {}}"), "Value cannot be empty", "/States");
  }

  @Test
  void shouldReportEveryProblemNotJustTheFirst() {
    ValidationResult result = validate(Definitions.machine(
        "'A': {'Type': 'Pass', 'Next': 'Z', 'Bogus': 1}, 'B': {'Type': 'Wait', 'End': true}"));

    assertThat(result.diagnostics()).extracting(Diagnostic::code, Diagnostic::location).containsExactly(
        org.assertj.core.groups.Tuple.tuple("SCHEMA_VALIDATION_FAILED", "/States/A"),
        org.assertj.core.groups.Tuple.tuple("SCHEMA_VALIDATION_FAILED", "/States/B"),
        org.assertj.core.groups.Tuple.tuple("MISSING_TRANSITION_TARGET", "/States/A/Next"),
        org.assertj.core.groups.Tuple.tuple("MISSING_TRANSITION_TARGET", "/States/B"));
  }

  @Test
  void shouldRenderTheInvalidDefinitionMessageAsAwsDoes() {
    ValidationResult result = validate("{'StartAt': 'pass1', 'States': {'pass1': {'Type': 'Pass', 'Next': 'pass3'},"
        + " 'pass2': {'Type': 'Pass', 'End': true}}}");

    assertThat(result.result()).isEqualTo("FAIL");
    assertThat(result.invalidDefinitionMessage()).isEqualTo("Invalid State Machine Definition: "
        + "'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, "
        + "MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'");
  }

  @Test
  void shouldRefuseToRenderAnInvalidDefinitionMessageForAValidResult() {
    ValidationResult result = validate("{'StartAt': 'A', 'States': {'A': {'Type': 'Succeed'}}}");

    assertThat(result.result()).isEqualTo("OK");
    assertThatThrownBy(result::invalidDefinitionMessage).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldEscapeStateNamesInPointers() {
    ValidationResult result = validate("{'StartAt': 'a/b~c', 'States': {'a/b~c': {'Type': 'Succeed', 'X': 1}}}");

    assertOnlySchemaError(result, "Field 'X' is not supported", "/States/a~1b~0c");
  }
}
