package io.stepstream.gateway.statemachine;

import java.util.Objects;

/**
 * One diagnostic of a definition, in the shape of ValidateStateMachineDefinition's
 * {@code diagnostics} entries.
 *
 * @param severity {@code ERROR} or {@code WARNING}
 * @param code AWS's diagnostic code, such as {@code SCHEMA_VALIDATION_FAILED}
 * @param message the diagnostic text
 * @param location JSON pointer to the offending field, or null when there is none
 */
public record DefinitionDiagnostic(String severity, String code, String message, String location) {

  /** Checks the non-null components. */
  public DefinitionDiagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** Returns true for an error (the definition cannot be created). */
  public boolean isError() {
    return severity.equals("ERROR");
  }

  /** Returns the diagnostic as AWS prints it inside an InvalidDefinition message. */
  public String render() {
    return code + ": " + message + " at " + location;
  }
}
