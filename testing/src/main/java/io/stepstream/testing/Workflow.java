package io.stepstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.driver.InMemoryDriver;
import io.stepstream.asl.driver.TaskFailure;
import io.stepstream.asl.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One state machine to run in-process, with its mocked Task states. Runs go through the same
 * interpreter as the server, driven by {@link InMemoryDriver}: time is virtual (a Wait state or a
 * retry back-off moves the clock, nothing sleeps), and a Task state answers with its mock at once.
 * A Task state without a mock fails the run with an {@link IllegalStateException} naming it.
 */
public final class Workflow {

  private final StateMachineDefinition definition;
  private final Map<String, MockedResponse> mocks = new LinkedHashMap<>();
  private String stateMachineName = InMemoryDriver.DEFAULT_STATE_MACHINE_NAME;
  private long startTimeMs = InMemoryDriver.DEFAULT_START_TIME_MS;

  Workflow(String definitionJson) {
    this.definition = DefinitionCompiler.compile(definitionJson);
  }

  /** Mocks the Task states named {@code state} (wherever they are: top level, branch, iteration). */
  public Workflow mock(String state, MockedResponse response) {
    mocks.put(Objects.requireNonNull(state), Objects.requireNonNull(response));
    return this;
  }

  /** Mocks the states of a test case of a Step Functions Local mock configuration file. */
  public Workflow testCase(MockConfig config, String stateMachine, String testCase) {
    config.testCase(stateMachine, testCase).forEach(this::mock);
    return this;
  }

  /** The state machine's name in ARNs and the context object; default {@code StateMachine}. */
  public Workflow stateMachineName(String name) {
    this.stateMachineName = Objects.requireNonNull(name);
    return this;
  }

  /** When the execution starts on the virtual clock; default 2024-01-01T00:00:00Z. */
  public Workflow startTime(Instant start) {
    this.startTimeMs = start.toEpochMilli();
    return this;
  }

  /** Runs one execution of the input (JSON text) to its end. */
  public ExecutionResult start(String input) {
    return start(Json.parse(input));
  }

  /** Runs one execution of the input to its end; each start counts mock invocations afresh. */
  public ExecutionResult start(JsonNode input) {
    Map<String, AtomicInteger> invocations = new LinkedHashMap<>();
    InMemoryDriver.Builder driver = InMemoryDriver.builder().stateMachineName(stateMachineName).startTimeMs(startTimeMs);
    mocks.forEach((state, response) -> {
      AtomicInteger count = invocations.computeIfAbsent(state, s -> new AtomicInteger());
      driver.stateTask(state, taskInput -> {
        MockedResponse.Answer answer = response.answer(count.getAndIncrement());
        if (answer.error() != null) {
          throw new TaskFailure(answer.error(), answer.cause());
        }
        return answer.result().deepCopy();
      });
    });
    var outcome = driver.build().run(definition, Json.write(input));
    Map<String, Integer> counts = new LinkedHashMap<>();
    invocations.forEach((state, count) -> counts.put(state, count.get()));
    return new ExecutionResult(outcome, counts);
  }
}
