package io.stepstream.gateway.statemachine;

import java.util.List;
import java.util.stream.Collectors;

import io.stepstream.gateway.api.ApiException;

/**
 * Validates an ASL definition for the API (CreateStateMachine, UpdateStateMachine,
 * ValidateStateMachineDefinition). Must be thread-safe and must not block.
 */
@FunctionalInterface
public interface DefinitionValidation {

  /**
   * Returns every diagnostic of a definition; none, or only warnings, means it is valid.
   *
   * @param definition the definition text as the client sent it
   */
  List<DefinitionDiagnostic> validate(String definition);

  /**
   * Throws AWS's {@code InvalidDefinition} when the definition has errors, with the diagnostics
   * joined as AWS joins them: {@code Invalid State Machine Definition: 'CODE: message at /path, ...'}.
   *
   * @throws ApiException {@code InvalidDefinition}
   */
  default void require(String definition) {
    List<DefinitionDiagnostic> errors = validate(definition).stream().filter(DefinitionDiagnostic::isError).toList();
    if (!errors.isEmpty()) {
      throw new ApiException("InvalidDefinition", errors.stream().map(DefinitionDiagnostic::render)
          .collect(Collectors.joining(", ", "Invalid State Machine Definition: '", "'")));
    }
  }
}
