package io.stepstream.asl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the recorded AWS cases whose whole workflow is one Pass state with Parameters (most intrinsic
 * function cases): the expected output is the template evaluated on the execution input.
 */
class PayloadTemplateConformanceTest {

  @TestFactory
  Stream<DynamicTest> shouldMatchAwsOnSinglePassStateCases() throws IOException {
    Path cases = Path.of(System.getProperty("stepstream.conformance.dir", "../../shared/conformance"), "cases");
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(cases)) {
      for (Path file : files.sorted().toList()) {
        JsonNode c = Json.parse(Files.readString(file));
        JsonNode parameters = singlePassParameters(c);
        if (parameters != null) {
          tests.add(DynamicTest.dynamicTest(c.get("id").textValue(), () -> {
            JsonNode input = c.get("input");
            JsonNode context = Json.object().set("Execution", Json.object().set("Input", input));
            EvaluationScope scope = EvaluationScope.of(input, context, Variables.NONE, new SplittableRandom(1));
            JsonNode output = PayloadTemplate.compile(parameters).evaluate(scope, "Parameters");
            assertThat(output).isEqualTo(c.get("expected").get("output"));
          }));
        }
      }
    }
    assertThat(tests).hasSizeGreaterThan(50);
    return tests.stream();
  }

  private static JsonNode singlePassParameters(JsonNode c) {
    JsonNode definition = c.get("definition");
    JsonNode states = definition.get("States");
    if (states == null || states.size() != 1 || !"SUCCEEDED".equals(c.get("expected").get("status").textValue())
        || !c.get("wildcards").isEmpty() || definition.has("QueryLanguage")) {
      return null;
    }
    JsonNode state = states.elements().next();
    for (String field : iterable(state.fieldNames())) {
      if (!List.of("Type", "Parameters", "End", "Comment").contains(field)) {
        return null;
      }
    }
    return "Pass".equals(state.get("Type").textValue()) ? state.get("Parameters") : null;
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }
}
