package io.stepstream.asl.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every definition of the conformance corpus (recorded against AWS): the ones AWS rejected with
 * InvalidDefinition fail with AWS's message, and every other one validates without a single error.
 */
class ConformanceDefinitionsTest {

  private static final String PREFIX = "Invalid State Machine Definition: ";

  @TestFactory
  Stream<DynamicTest> shouldAgreeWithAwsOnEveryConformanceDefinition() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : caseFiles()) {
      JsonNode testCase = Json.parse(Files.readString(file));
      String id = testCase.get("id").asText();
      String definition = Json.write(testCase.get("definition"));
      JsonNode expected = testCase.get("expected");
      if (expected.get("status").asText().equals("INVALID_DEFINITION")) {
        String cause = expected.get("cause").asText();
        String awsMessage = cause.substring(cause.indexOf(PREFIX));
        tests.add(DynamicTest.dynamicTest(id, () -> {
          ValidationResult result = DefinitionValidator.validate(definition);
          assertThat(result.ok()).as("result of %s", id).isFalse();
          assertThat(result.invalidDefinitionMessage()).isEqualTo(awsMessage);
        }));
      } else {
        tests.add(DynamicTest.dynamicTest(id, () -> {
          ValidationResult result = DefinitionValidator.validate(definition);
          assertThat(result.errors()).as("errors of %s", id).isEmpty();
          assertThat(result.ok()).isTrue();
        }));
      }
    }
    return tests.stream();
  }

  private static List<Path> caseFiles() throws IOException {
    String dir = System.getProperty("stepstream.conformance.dir");
    Path cases = dir == null ? null : Path.of(dir, "cases");
    assumeTrue(cases != null && Files.isDirectory(cases),
        "conformance corpus not found (system property stepstream.conformance.dir = " + dir + "); skipping");
    try (Stream<Path> files = Files.list(cases)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }
}
