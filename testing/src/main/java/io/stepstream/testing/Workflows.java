package io.stepstream.testing;

import io.stepstream.asl.validation.DefinitionValidator;
import io.stepstream.asl.validation.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The entry of the testing kit: a state machine definition to run in-process with mocked tasks.
 * Injected by {@link StepFunctionsExtension}; may also be created directly. Not shared between threads.
 */
public final class Workflows {

  /** Reads a definition (ASL JSON) from a file; see {@link #definition(String)}. */
  public Workflow definition(Path file) {
    try {
      return definition(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read state machine definition " + file, e);
    }
  }

  /**
   * A definition, validated as CreateStateMachine validates it.
   *
   * @throws IllegalArgumentException with AWS's diagnostics when the definition is not valid
   */
  public Workflow definition(String json) {
    List<Diagnostic> errors = DefinitionValidator.validate(json).diagnostics().stream()
        .filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(errors.stream().map(Diagnostic::render)
          .collect(Collectors.joining(", ", "Invalid State Machine Definition: '", "'")));
    }
    return new Workflow(json);
  }
}
