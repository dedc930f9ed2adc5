package io.stepstream.asl.validation;

import static io.stepstream.asl.validation.Definitions.assertOnlySchemaError;
import static io.stepstream.asl.validation.Definitions.assertValid;
import static io.stepstream.asl.validation.Definitions.jsonataMachine;
import static io.stepstream.asl.validation.Definitions.machine;
import static io.stepstream.asl.validation.Definitions.validate;
import static io.stepstream.asl.validation.Definitions.validateJsonataState;
import static io.stepstream.asl.validation.Definitions.validateState;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which fields JSONPath and JSONata states may use, and how a state's language is decided. */
class QueryLanguageValidationTest {

  @ParameterizedTest
  @ValueSource(strings = {"'InputPath': '$'", "'OutputPath': '$'", "'ResultPath': '$.r'", "'Parameters': {}",
      "'Result': 1"})
  void shouldReportJsonPathFieldsInAJsonataState(String field) {
    String name = field.substring(1, field.indexOf('\'', 1));
    ValidationResult result = validateJsonataState("'Type': 'Pass', 'End': true, " + field);

    assertOnlySchemaError(result, "The QueryLanguage is set to 'JSONata', but field '" + name
        + "' is only supported for the 'JSONPath' QueryLanguage", "/States/A");
  }

  @Test
  void shouldReportItemsPathInAJsonataMap() {
    ValidationResult result = validateJsonataState("'Type': 'Map', 'End': true, 'ItemsPath': '$.items',"
        + " 'ItemProcessor': {'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}");

    assertOnlySchemaError(result, "The QueryLanguage is set to 'JSONata', but field 'ItemsPath' is only supported"
        + " for the 'JSONPath' QueryLanguage", "/States/A");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'Output': 1", "'Arguments': {}"})
  void shouldReportJsonataFieldsInAJsonPathState(String field) {
    String name = field.substring(1, field.indexOf('\'', 1));
    ValidationResult result = validateState("'Type': 'Task', 'Resource': 'arn:aws:states:::x', 'End': true, " + field);

    assertOnlySchemaError(result, "The QueryLanguage is set to 'JSONPath', but field '" + name
        + "' is only supported for the 'JSONata' QueryLanguage", "/States/A");
  }

  @Test
  void shouldAcceptJsonataFieldsWhenTheStateSetsJsonata() {
    assertValid(validateState("'Type': 'Pass', 'QueryLanguage': 'JSONata', 'End': true, 'Output': '{% 1 + 1 %}'"));
  }

  @Test
  void shouldAcceptAssignInBothLanguages() {
    assertValid(validateState("'Type': 'Pass', 'End': true, 'Assign': {'x': 1, 'y.$': '$.a'}"));
    assertValid(validateJsonataState("'Type': 'Pass', 'End': true, 'Assign': {'x': '{% $states.input %}'}"));
  }

  @Test
  void shouldReportAJsonPathStateInAJsonataMachine() {
    ValidationResult result = validate(jsonataMachine("'A': {'Type': 'Pass', 'QueryLanguage': 'JSONPath', 'End': true}"));

    assertOnlySchemaError(result, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
        "/States/A");
  }

  @Test
  void shouldReportAnUnknownStateQueryLanguage() {
    assertOnlySchemaError(validateState("'Type': 'Succeed', 'QueryLanguage': 'JMESPath'"),
        "Value should be one of the following: [JSONPath, JSONata]", "/States/A/QueryLanguage");
  }

  @Test
  void shouldReportQueryLanguageOnAnItemProcessor() {
    ValidationResult result = validate(machine("'A': {'Type': 'Map', 'End': true, 'ItemProcessor': "
        + "{'QueryLanguage': 'JSONata', 'StartAt': 'P', 'States': {'P': {'Type': 'Succeed'}}}}"));

    assertOnlySchemaError(result, "Field 'QueryLanguage' is not supported", "/States/A/ItemProcessor");
  }

  @Test
  void shouldLetStatesInAProcessorInheritTheMachineLanguageNotTheMapLanguage() {
    ValidationResult result = validate(machine("'A': {'Type': 'Map', 'QueryLanguage': 'JSONata', 'End': true,"
        + " 'ItemProcessor': {'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'End': true, 'Output': 1}}}}"));

    assertOnlySchemaError(result, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported"
        + " for the 'JSONata' QueryLanguage", "/States/A/ItemProcessor/States/P");
  }
}
