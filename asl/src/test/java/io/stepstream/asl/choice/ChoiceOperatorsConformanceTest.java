package io.stepstream.asl.choice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.Variables;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code choice_operators} case of the AWS-recorded conformance corpus through the Choice
 * rules directly: the Choice state's rules are evaluated in order against the case input (after the
 * state's InputPath), and the state they pick must be the Pass state whose output AWS recorded.
 *
 * <p>The corpus lives outside the repository: system property {@code stepstream.conformance.dir}, or
 * {@code ../shared/conformance} next to the repository. Without it the cases are skipped.
 */
class ChoiceOperatorsConformanceTest {

  private static final String GROUP = "choice_operators";

  @TestFactory
  Stream<DynamicTest> shouldTakeTheBranchAwsTookForEveryChoiceOperatorsCase() {
    Path dir = conformanceDir();
    Assumptions.assumeTrue(dir != null,
        "conformance corpus not found: set -Dstepstream.conformance.dir or put it at ../shared/conformance");
    List<JsonNode> cases = loadCases(dir.resolve("cases"));
    Assumptions.assumeFalse(cases.isEmpty(), "no " + GROUP + " cases in " + dir);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").textValue(), () -> check(c)));
  }

  @TestFactory
  Stream<DynamicTest> shouldCompileEveryJsonPathChoiceRuleOfTheCorpus() {
    Path dir = conformanceDir();
    Assumptions.assumeTrue(dir != null,
        "conformance corpus not found: set -Dstepstream.conformance.dir or put it at ../shared/conformance");
    return readAll(dir.resolve("cases")).stream()
        .filter(c -> !"INVALID_DEFINITION".equals(c.path("expected").path("status").textValue()))
        .flatMap(c -> {
          List<JsonNode> rules = new ArrayList<>();
          collectJsonPathRules(c.get("definition"), false, rules);
          return rules.isEmpty() ? Stream.empty() : Stream.of(DynamicTest.dynamicTest(c.get("id").textValue(),
              () -> rules.forEach(rule -> assertThat(ChoiceRule.compile(rule)).as(rule.toString()).isNotNull())));
        });
  }

  /** Adds the Choices elements of every JSONPath Choice state, in branches and Map processors too. */
  private static void collectJsonPathRules(JsonNode machine, boolean outerJsonata, List<JsonNode> rules) {
    boolean jsonata = machine.has("QueryLanguage") ? "JSONata".equals(machine.get("QueryLanguage").textValue())
        : outerJsonata;
    for (JsonNode state : machine.path("States")) {
      boolean stateJsonata = state.has("QueryLanguage")
          ? "JSONata".equals(state.get("QueryLanguage").textValue()) : jsonata;
      if ("Choice".equals(state.path("Type").textValue()) && !stateJsonata) {
        state.get("Choices").forEach(rules::add);
      }
      for (JsonNode branch : state.path("Branches")) {
        collectJsonPathRules(branch, stateJsonata, rules);
      }
      for (String processor : new String[] {"Iterator", "ItemProcessor"}) {
        if (state.has(processor)) {
          collectJsonPathRules(state.get(processor), stateJsonata, rules);
        }
      }
    }
  }

  private static void check(JsonNode testCase) {
    JsonNode definition = testCase.get("definition");
    JsonNode states = definition.get("States");
    JsonNode choice = findChoice(definition);
    JsonNode input = testCase.get("input");
    JsonNode expected = testCase.get("expected");
    EvaluationScope scope = scope(input, choice);

    if (expected.get("status").textValue().equals("FAILED")) {
      StatesException error = catchThrowableOfType(StatesException.class, () -> choose(choice, scope));
      assertThat(error).as("expected a failure").isNotNull();
      assertThat(error.error()).isEqualTo(expected.get("error").textValue());
      if (expected.hasNonNull("cause")) {
        assertThat(expected.get("cause").textValue()).endsWith(error.cause());
      }
      return;
    }
    String taken = choose(choice, scope);
    JsonNode next = states.get(taken);
    assertThat(next).as("state " + taken).isNotNull();
    assertThat(outputOf(next, scope.input())).isEqualTo(expected.get("output"));
  }

  /** The name of the state the Choice goes to, as the interpreter will decide it. */
  private static String choose(JsonNode choice, EvaluationScope scope) {
    for (JsonNode element : choice.get("Choices")) {
      if (ChoiceRule.compile(element).matches(scope)) {
        return element.get("Next").textValue();
      }
    }
    if (choice.hasNonNull("Default")) {
      return choice.get("Default").textValue();
    }
    throw new StatesException(StatesErrors.NO_CHOICE_MATCHED, "No Matches!");
  }

  private static EvaluationScope scope(JsonNode input, JsonNode choice) {
    ObjectNode context = Json.object();
    context.putObject("Execution").set("Input", input);
    EvaluationScope raw = EvaluationScope.of(input, context, Variables.NONE, new SplittableRandom(0));
    JsonNode inputPath = choice.get("InputPath");
    if (inputPath == null) {
      return raw;
    }
    JsonNode effective = inputPath.isNull() ? Json.object() : JsonPathExpression.compile(inputPath.textValue()).read(raw);
    return raw.withInput(effective);
  }

  /** The output of the (Pass or Succeed) state after the branch, which is what AWS recorded. */
  private static JsonNode outputOf(JsonNode state, JsonNode input) {
    String type = state.get("Type").textValue();
    if (type.equals("Pass") && state.has("Result")) {
      return state.get("Result");
    }
    assertThat(type).as("branch target type").isIn("Pass", "Succeed");
    return input;
  }

  private static JsonNode findChoice(JsonNode definition) {
    JsonNode states = definition.get("States");
    JsonNode start = states.get(definition.get("StartAt").textValue());
    if (start != null && "Choice".equals(start.path("Type").textValue())) {
      return start;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      JsonNode state = it.next().getValue();
      if ("Choice".equals(state.path("Type").textValue())) {
        return state;
      }
    }
    throw new AssertionError("no Choice state in " + definition);
  }

  private static List<JsonNode> loadCases(Path cases) {
    return readAll(cases).stream().filter(c -> GROUP.equals(c.path("group").textValue())).toList();
  }

  private static List<JsonNode> readAll(Path cases) {
    try (Stream<Path> files = Files.list(cases)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(ChoiceOperatorsConformanceTest::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The corpus directory (holding {@code cases/}), or null when it cannot be found. */
  static Path conformanceDir() {
    String configured = System.getProperty("stepstream.conformance.dir");
    if (configured != null && Files.isDirectory(Path.of(configured, "cases"))) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared/conformance").normalize();
      if (Files.isDirectory(candidate.resolve("cases"))) {
        return candidate;
      }
    }
    return null;
  }
}
