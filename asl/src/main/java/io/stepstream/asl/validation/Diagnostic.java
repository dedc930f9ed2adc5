package io.stepstream.asl.validation;

import java.util.Objects;

/**
 * One problem found in a state machine definition, as {@code ValidateStateMachineDefinition} reports it.
 *
 * @param severity {@link Severity#ERROR} when the definition cannot be created; never null
 * @param code AWS's diagnostic code, such as {@code SCHEMA_VALIDATION_FAILED}; never null
 * @param message what is wrong, in AWS's words where known; never null
 * @param location JSON pointer (RFC 6901) to the offending field, such as {@code /States/A/Next}; the
 *     empty string for the document root; null when the problem has no single place (malformed JSON, no
 *     terminal state)
 */
public record Diagnostic(Severity severity, String code, String message, String location) {

  /** How bad a diagnostic is. */
  public enum Severity {
    /** The definition cannot be created or updated. */
    ERROR,
    /** The definition is accepted, but probably not what its author meant. */
    WARNING
  }

  /** Checks the non-null components. */
  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /**
   * This diagnostic as AWS prints it inside an {@code InvalidDefinition} message:
   * {@code CODE: message at location}. A missing location prints as {@code null}, as AWS does
   * ({@code MISSING_END_STATE: Workflow has no terminal state at null}).
   */
  public String render() {
    return code + ": " + message + " at " + location;
  }
}
