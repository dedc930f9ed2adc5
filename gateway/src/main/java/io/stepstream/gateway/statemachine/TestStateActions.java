package io.stepstream.gateway.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.interpreter.Limits;
import io.stepstream.asl.teststate.StateTest;
import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.asl.teststate.TestStateRequest;
import io.stepstream.asl.teststate.TestStateRequest.InspectionLevel;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.api.RandomIds;
import io.stepstream.gateway.api.Requests;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TestState: one state run in this gateway by the pure interpreter ({@link StateTest}); no execution
 * is started and nothing is written. The request's shape is checked here as AWS checks it; what
 * needs the definition (InvalidDefinition, the mock rules) is decided by {@link StateTest}. A Task
 * state without a mock has its resource invoked by the {@link TaskInvoker} (an HTTP Task calls its
 * endpoint, a function's task runs on a worker that serves it, a nested execution is started), on a
 * virtual thread, never on the caller's (an event loop), for as long as the invocation takes.
 *
 * <p>What Stepstream does not do, it refuses with a ValidationException that says so rather than
 * answering something else: invoking a resource the invoker refuses (a mock is required),
 * {@code context}, and the Map-only {@code stateConfiguration} members.
 */
public final class TestStateActions {

  /** AWS's limit on TestState's {@code input} and {@code variables}. */
  private static final int MAX_DATA_CHARS = 262_144;
  private static final Set<String> VALIDATION_MODES = Set.of("STRICT", "PRESENT", "NONE");

  /** Where a test that may invoke a resource runs: it blocks for the length of the call. */
  private static final ExecutorService INVOCATIONS = Executors.newVirtualThreadPerTaskExecutor();

  private final StateTest tester;
  private final Arns arns;
  private final Clock clock;

  /**
   * @param invoker runs the resource of a Task state tested without a mock; {@link TaskInvoker#NONE} to require mocks
   */
  public TestStateActions(Limits limits, TaskInvoker invoker, Arns arns, Clock clock) {
    this.tester = new StateTest(limits, invoker);
    this.arns = arns;
    this.clock = clock;
  }

  /** TestState. */
  public CompletableFuture<ObjectNode> testState(ObjectNode request) {
    String definition = Requests.requiredString(request, "definition");
    String roleArn = Requests.optionalString(request, "roleArn");
    String input = data(request, "input");
    String variables = data(request, "variables");
    String stateName = Requests.optionalString(request, "stateName");
    if (stateName != null && (stateName.isEmpty() || stateName.length() > 80)) {
      throw ApiErrors.validation("'" + stateName + "'", "stateName", "Member must have length between 1 and 80");
    }
    InspectionLevel level = level(Requests.optionalString(request, "inspectionLevel"));
    TestStateRequest.Mock mock = mock(request.get("mock"));
    boolean revealSecrets = request.path("revealSecrets").asBoolean(false);
    if (revealSecrets && mock != null) {
      throw new ApiException("ValidationException", "TestState does not support RevealSecrets when a mock is specified.");
    }
    if (request.hasNonNull("context")) {
      throw new ApiException("ValidationException", mock == null
          ? "TestState does not support Context when a mock is not specified."
          : "Stepstream's TestState does not support context: the state sees the context of a new execution");
    }
    int retries = stateConfiguration(request.get("stateConfiguration"), mock != null);
    String machineArn = arns.stateMachine("TestState");
    String executionArn = machineArn.replace(":stateMachine:", ":express:") + ":" + RandomIds.uuid() + ":" + RandomIds.uuid();
    TestStateRequest test = new TestStateRequest(definition, stateName, input, variables, level, mock,
        retries, roleArn, machineArn, executionArn, clock.millis(), ThreadLocalRandom.current().nextLong());
    if (mock != null) {
      // Nothing is invoked: the interpreter alone, at once.
      return CompletableFuture.completedFuture(answer(tester.run(test)));
    }
    return CompletableFuture.supplyAsync(() -> answer(tester.run(test)), INVOCATIONS);
  }

  private static ObjectNode answer(StateTest.Outcome outcome) {
    if (outcome.rejection() != null) {
      throw new ApiException(outcome.rejection().type(), outcome.rejection().message());
    }
    return outcome.response();
  }

  private static String data(ObjectNode request, String field) {
    String value = Requests.optionalString(request, field);
    if (value != null && value.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_CHARS) {
      throw ApiErrors.validation("'" + field + "'", field,
          "Member must have length less than or equal to " + MAX_DATA_CHARS);
    }
    return value;
  }

  private static InspectionLevel level(String text) {
    if (text == null) {
      return InspectionLevel.INFO;
    }
    try {
      return InspectionLevel.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw ApiErrors.validation("'" + text + "'", "inspectionLevel", "Member must satisfy enum value set: [INFO, DEBUG, TRACE]");
    }
  }

  private static TestStateRequest.Mock mock(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!(node instanceof ObjectNode mock)) {
      throw ApiErrors.serialization("Expected an object for member 'mock'");
    }
    String mode = Requests.optionalString(mock, "fieldValidationMode");
    if (mode != null && !VALIDATION_MODES.contains(mode.toUpperCase(Locale.ROOT))) {
      throw ApiErrors.validation("'" + mode + "'", "mock.fieldValidationMode",
          "Member must satisfy enum value set: [STRICT, PRESENT, NONE]");
    }
    String result = Requests.optionalString(mock, "result");
    JsonNode errorOutput = mock.get("errorOutput");
    if (errorOutput == null || errorOutput.isNull()) {
      return new TestStateRequest.Mock(result, null, null);
    }
    if (!(errorOutput instanceof ObjectNode error)) {
      throw ApiErrors.serialization("Expected an object for member 'errorOutput'");
    }
    String name = Requests.optionalString(error, "error");
    if (name == null) {
      throw ApiErrors.missing("mock.errorOutput.error");
    }
    return new TestStateRequest.Mock(result, name, Requests.optionalString(error, "cause"));
  }

  /** The retries already made ({@code retrierRetryCount}); refuses the members Stepstream does not run. */
  private static int stateConfiguration(JsonNode node, boolean mocked) {
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!(node instanceof ObjectNode configuration)) {
      throw ApiErrors.serialization("Expected an object for member 'stateConfiguration'");
    }
    if (configuration.hasNonNull("mapIterationFailureCount") && !mocked) {
      throw new ApiException("ValidationException",
          "TestState does not support MapIterationFailureCount when a mock is not specified.");
    }
    for (String unsupported : new String[] {"mapIterationFailureCount", "mapItemReaderData", "errorCausedByState"}) {
      if (configuration.hasNonNull(unsupported)) {
        throw new ApiException("ValidationException", "Stepstream's TestState does not support stateConfiguration."
            + unsupported + " yet");
      }
    }
    int retries = Requests.optionalInt(configuration, "retrierRetryCount", 0);
    if (retries < 0) {
      throw ApiErrors.validation("'" + retries + "'", "stateConfiguration.retrierRetryCount",
          "Member must have value greater than or equal to 0");
    }
    return retries;
  }
}
