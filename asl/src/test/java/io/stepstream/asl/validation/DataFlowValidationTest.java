package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.validateJsonataState;
import static io.stepstream.asl.validation.Definitions.validateState;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths, payload templates, intrinsic functions, JSONata expressions and Assign. */
class DataFlowValidationTest {

  private static final String PASS = "'Type': 'Pass', 'End': true, ";

  @Test
  void shouldAcceptPathsOfEveryRoot() {
    assertValid(validateState(PASS + "'InputPath': '$$.Execution.Input', 'OutputPath': '$v.a', 'ResultPath': '$.r[0].s'"));
  }

  @Test
  void shouldAcceptNullPaths() {
    assertValid(validateState(PASS + "'InputPath': null, 'OutputPath': null, 'ResultPath': null"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"InputPath", "OutputPath"})
  void shouldReportAnInvalidPath(String field) {
    assertOnlySchemaError(validateState(PASS + "'" + field + "': 'a.b'"), "Value must be a valid JSONPath.",
        "/States/A/" + field);
  }

  @Test
  void shouldReportAResultPathThatIsNotAReferencePath() {
    assertOnlySchemaError(validateState(PASS + "'ResultPath': '$..a'"),
        "Value is not a Reference Path: Reference path may only contain fields and array indices", "/States/A/ResultPath");
  }

  @Test
  void shouldReportAResultPathIntoTheContextObject() {
    assertOnlySchemaError(validateState(PASS + "'ResultPath': '$$.Execution'"),
        "Value is not a Reference Path: Reference path must address the state input ('$')", "/States/A/ResultPath");
  }

  @Test
  void shouldReportAResultPathNotStartingWithDollar() {
    assertOnlySchemaError(validateState(PASS + "'ResultPath': 'result'"),
        "Value is not a Reference Path: Reference path didn't start with '$'", "/States/A/ResultPath");
  }

  @Test
  void shouldAcceptATemplateWithPathsAndIntrinsics() {
    assertValid(validateState(PASS + "'Parameters': {'a.$': '$.x', 'b': {'c.$': 'States.Format(`{}`, $.y)'},"
        + " 'd': [{'e.$': '$$.State.Name'}], 'f': 'plain'}"));
  }

  @Test
  void shouldReportATemplateValueThatIsNeitherPathNorIntrinsic() {
    assertOnlySchemaError(validateState(PASS + "'Parameters': {'a': {'b.$': 'x.y'}}"),
        "The value for the field 'b.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/A/Parameters/a");
  }

  @Test
  void shouldReportAnInvalidIntrinsicCall() {
    assertOnlySchemaError(validateState(PASS + "'Parameters': {'a.$': 'States.Nope(1)'}"),
        "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/A/Parameters");
  }

  @Test
  void shouldReportANonStringDynamicValue() {
    assertOnlySchemaError(validateState(PASS + "'Parameters': {'a.$': 5}"),
        "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
        "/States/A/Parameters");
  }

  @Test
  void shouldReportAResultSelectorThatIsNotAnObject() {
    assertOnlySchemaError(validateState("'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true,"
        + " 'ResultSelector': 'x'"), "Expected value of type Object", "/States/A/ResultSelector");
  }

  @Test
  void shouldNotEvaluateResultOfAPassState() {
    assertValid(validateState(PASS + "'Result': {'a.$': 'not a path'}"));
  }

  @Test
  void shouldReportAnInvalidPathInAssign() {
    assertOnlySchemaError(validateState(PASS + "'Assign': {'x.$': 'nope'}"),
        "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", "/States/A/Assign");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1x", "a-b", "a.b", ""})
  void shouldReportAnInvalidVariableName(String name) {
    ValidationResult result = validateState(PASS + "'Assign': {'" + name + "': 1}");

    assertThat(result.ok()).isFalse();
    assertThat(result.diagnostics()).singleElement()
        .satisfies(d -> assertThat(d.message()).startsWith("Invalid variable name '" + name + "'"))
        .satisfies(d -> assertThat(d.location()).isEqualTo("/States/A/Assign/" + name));
  }

  @Test
  void shouldReportAssigningTheReservedStatesVariable() {
    assertOnlySchemaError(validateJsonataState(PASS + "'Assign': {'states': 1}"),
        "Cannot assign to reserved variable '$states'", "/States/A/Assign/states");
  }

  @Test
  void shouldAcceptAVariableNameOfLettersDigitsAndUnderscores() {
    assertValid(validateState(PASS + "'Assign': {'_a1': 1, 'bB_2.$': '$.x'}"));
  }

  @Test
  void shouldAcceptJsonataExpressionsAndLiterals() {
    assertValid(validateJsonataState(PASS + "'Output': {'a': '{% $states.input.x %}', 'b': ['{% 1 %}', 'text', 3]}"));
  }

  @Test
  void shouldReportAnUnclosedJsonataExpression() {
    assertOnlySchemaError(validateJsonataState(PASS + "'Output': {'a': '{% $states.input'}"),
        "JSONata string must start with {% and end with %}", "/States/A/Output/a");
  }

  @Test
  void shouldReportAJsonataExpressionThatDoesNotParse() {
    ValidationResult result = validateJsonataState(PASS + "'Output': '{% $states.input.( %}'");

    assertThat(result.diagnostics()).singleElement()
        .satisfies(d -> assertThat(d.message()).startsWith("JSONata expression is invalid"))
        .satisfies(d -> assertThat(d.location()).isEqualTo("/States/A/Output"));
  }

  @Test
  void shouldReportAnInvalidJsonataExpressionInAssign() {
    ValidationResult result = validateJsonataState(PASS + "'Assign': {'x': '{% ) %}'}");

    assertThat(result.diagnostics()).extracting(Diagnostic::location).containsExactly("/States/A/Assign/x");
  }
}
