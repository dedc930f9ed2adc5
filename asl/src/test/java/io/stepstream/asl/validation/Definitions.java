package io.stepstream.asl.validation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writing definitions in tests: single quotes stand for double quotes, to keep Java strings readable, and
 * backticks for single quotes (the string literals of intrinsic functions).
 */
final class Definitions {

  private Definitions() {}

  /** Validates a definition written with single quotes. */
  static ValidationResult validate(String singleQuoted) {
    return DefinitionValidator.validate(singleQuoted.replace('\'', '"').replace('`', '\''));
  }

  /** A machine starting at state A, with the given states (single-quoted JSON members). */
  static String machine(String states) {
    return "{'StartAt': 'A', 'States': {" + states + "}}";
  }

  /** A JSONata machine starting at state A. */
  static String jsonataMachine(String states) {
    return "{'QueryLanguage': 'JSONata', 'StartAt': 'A', 'States': {" + states + "}}";
  }

  /** Validates a machine made of one state A, given as its fields (single-quoted). */
  static ValidationResult validateState(String fields) {
    return validate(machine("'A': {" + fields + "}"));
  }

  /** Validates a JSONata machine made of one state A. */
  static ValidationResult validateJsonataState(String fields) {
    return validate(jsonataMachine("'A': {" + fields + "}"));
  }

  /** Asserts that the result fails with exactly this one error. */
  static void assertOnlyError(ValidationResult result, String code, String message, String location) {
    assertThat(result.ok()).isFalse();
    assertThat(result.diagnostics())
        .containsExactly(new Diagnostic(Diagnostic.Severity.ERROR, code, message, location));
  }

  /** Asserts a schema error with exactly this message and location, and no other error. */
  static void assertOnlySchemaError(ValidationResult result, String message, String location) {
    assertOnlyError(result, "SCHEMA_VALIDATION_FAILED", message, location);
  }

  /** Asserts the definition is valid with no diagnostic at all. */
  static void assertValid(ValidationResult result) {
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.ok()).isTrue();
  }
}
