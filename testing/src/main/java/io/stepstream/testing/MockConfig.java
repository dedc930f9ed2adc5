package io.stepstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Step Functions Local mock configuration file ({@code MockConfigFile.json}): {@code StateMachines}
 * name the test cases of each state machine (state name to mocked response name), and
 * {@code MockedResponses} give each response's answers by invocation: keys {@code "0"} or ranges
 * {@code "1-2"}, values {@code {"Return": json}} or {@code {"Throw": {"Error": ..., "Cause": ...}}}.
 * The same file works with Step Functions Local.
 */
public final class MockConfig {

  private final JsonNode root;

  private MockConfig(JsonNode root) {
    this.root = root;
  }

  /** Reads a mock configuration file. */
  public static MockConfig load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read mock configuration " + file, e);
    }
  }

  /** Parses a mock configuration from its JSON text. */
  public static MockConfig parse(String json) {
    return new MockConfig(Json.parse(json));
  }

  /**
   * The mocked states of one test case: state name to its response.
   *
   * @throws IllegalArgumentException when the state machine, the test case or a response is not in the file,
   *     or when a response's invocation keys leave a gap
   */
  public Map<String, MockedResponse> testCase(String stateMachine, String testCase) {
    JsonNode cases = root.path("StateMachines").path(stateMachine).path("TestCases");
    JsonNode states = cases.path(testCase);
    if (!states.isObject()) {
      throw new IllegalArgumentException("no test case " + testCase + " of state machine " + stateMachine
          + " in the mock configuration");
    }
    Map<String, MockedResponse> mocks = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      mocks.put(entry.getKey(), response(entry.getValue().asText()));
    }
    return mocks;
  }

  private MockedResponse response(String name) {
    JsonNode response = root.path("MockedResponses").path(name);
    if (!response.isObject()) {
      throw new IllegalArgumentException("no mocked response " + name + " in the mock configuration");
    }
    Map<Integer, MockedResponse.Answer> byInvocation = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = response.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String[] range = entry.getKey().split("-", 2);
      int from = Integer.parseInt(range[0].trim());
      int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
      MockedResponse.Answer answer = answer(name, entry.getValue());
      for (int i = from; i <= to; i++) {
        byInvocation.put(i, answer);
      }
    }
    List<MockedResponse.Answer> answers = new ArrayList<>();
    for (Map.Entry<Integer, MockedResponse.Answer> entry : byInvocation.entrySet()) {
      if (entry.getKey() != answers.size()) {
        throw new IllegalArgumentException("mocked response " + name + " has no answer for invocation " + answers.size());
      }
      answers.add(entry.getValue());
    }
    return MockedResponse.of(answers);
  }

  private static MockedResponse.Answer answer(String name, JsonNode value) {
    if (value.has("Return")) {
      return new MockedResponse.Answer(value.get("Return"), null, null);
    }
    JsonNode thrown = value.path("Throw");
    if (!thrown.isObject() || !thrown.path("Error").isTextual()) {
      throw new IllegalArgumentException("mocked response " + name + ": each answer is {\"Return\": ...} or "
          + "{\"Throw\": {\"Error\": ..., \"Cause\": ...}}");
    }
    return new MockedResponse.Answer(null, thrown.get("Error").asText(), thrown.path("Cause").asText(""));
  }
}
