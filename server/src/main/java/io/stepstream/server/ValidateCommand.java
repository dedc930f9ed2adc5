package io.stepstream.server;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.statemachine.AslDefinitionValidation;
import io.stepstream.gateway.statemachine.ValidationActions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stepstream validate FILE}: prints what ValidateStateMachineDefinition would answer.
 * Exits 0 when the result is OK, 1 when it is FAIL.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Validates an ASL definition file and prints ValidateStateMachineDefinition's answer.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The definition (JSON).")
  Path file;

  @Option(names = "--severity", defaultValue = "WARNING",
      description = "ERROR or WARNING: the least severe diagnostics to print (default: ${DEFAULT-VALUE}).")
  String severity;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ObjectNode request = Json.MAPPER.createObjectNode()
        .put("definition", Files.readString(file, StandardCharsets.UTF_8))
        .put("severity", severity);
    ObjectNode response = new ValidationActions(new AslDefinitionValidation()).validate(request).join();
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(response));
    out.flush();
    return response.get("result").asText().equals("OK") ? 0 : 1;
  }
}
