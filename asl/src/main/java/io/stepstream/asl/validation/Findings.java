package io.stepstream.asl.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics of one validation run; the checkers never stop at the first problem. */
final class Findings {

  static final String SCHEMA_VALIDATION_FAILED = "SCHEMA_VALIDATION_FAILED";
  static final String INVALID_JSON_DESCRIPTION = "INVALID_JSON_DESCRIPTION";
  static final String MISSING_DESCRIPTION = "MISSING_DESCRIPTION";
  static final String MISSING_TRANSITION_TARGET = "MISSING_TRANSITION_TARGET";
  static final String MISSING_END_STATE = "MISSING_END_STATE";
  static final String DUPLICATE_STATE_NAME = "DUPLICATE_STATE_NAME";
  static final String INVALID_STATE_NAME = "INVALID_STATE_NAME";
  static final String INVALID_RESOURCE = "INVALID_RESOURCE";

  private final List<Diagnostic> diagnostics = new ArrayList<>();

  /** The most common diagnostic: the definition does not fit the States Language schema. */
  void schema(String message, String location) {
    error(SCHEMA_VALIDATION_FAILED, message, location);
  }

  void error(String code, String message, String location) {
    diagnostics.add(new Diagnostic(Diagnostic.Severity.ERROR, code, message, location));
  }

  List<Diagnostic> diagnostics() {
    return diagnostics;
  }
}
