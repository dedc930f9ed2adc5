package io.stepstream.asl.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of validating a definition: {@code ok} (AWS's {@code OK}) when no diagnostic is an error,
 * else {@code FAIL}, with every diagnostic found.
 *
 * @param ok true when the definition can be created (warnings do not count)
 * @param diagnostics every problem found, in document order as far as possible; unmodifiable, never null
 */
public record ValidationResult(boolean ok, List<Diagnostic> diagnostics) {

  /** Copies the list. */
  public ValidationResult {
    diagnostics = List.copyOf(diagnostics);
  }

  /** A result whose {@code ok} follows from the diagnostics: true when none is an error. */
  public static ValidationResult of(List<Diagnostic> diagnostics) {
    boolean ok = diagnostics.stream().noneMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    return new ValidationResult(ok, diagnostics);
  }

  /** {@code "OK"} or {@code "FAIL"}, the {@code result} field of {@code ValidateStateMachineDefinition}. */
  public String result() {
    return ok ? "OK" : "FAIL";
  }

  /** The error diagnostics only. */
  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
  }

  /**
   * The message of the {@code InvalidDefinition} error that CreateStateMachine and UpdateStateMachine
   * return for this result, e.g. {@code Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET:
   * Missing 'Next' target: B at /States/A/Next'}; several errors are joined with {@code ", "} as AWS does.
   *
   * @throws IllegalStateException when the result is ok (there is nothing to reject)
   */
  public String invalidDefinitionMessage() {
    if (ok) {
      throw new IllegalStateException("the definition is valid");
    }
    return errors().stream().map(Diagnostic::render)
        .collect(Collectors.joining(", ", "Invalid State Machine Definition: '", "'"));
  }
}
