package io.stepstream.gateway.statemachine;

import java.util.List;

import io.stepstream.asl.validation.DefinitionValidator;

/** The production {@link DefinitionValidation}: the asl module's {@link DefinitionValidator}. */
public final class AslDefinitionValidation implements DefinitionValidation {

  @Override
  public List<DefinitionDiagnostic> validate(String definition) {
    return DefinitionValidator.validate(definition).diagnostics().stream()
        .map(d -> new DefinitionDiagnostic(d.severity().name(), d.code(), d.message(), d.location()))
        .toList();
  }
}
