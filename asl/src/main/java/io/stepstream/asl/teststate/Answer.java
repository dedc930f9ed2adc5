package io.stepstream.asl.teststate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.Catcher;
import io.stepstream.asl.definition.DataFlow;
import io.stepstream.asl.definition.Retrier;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.interpreter.DataFlowSteps;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.retry.ErrorMatcher;
import io.stepstream.proto.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * TestState's response from a finished {@link StateTest.Run}: status, output or error, next state,
 * and at DEBUG and TRACE the inspection data AWS shows for the state's type and query language.
 *
 * <p>The output, error and next state are the interpreter's. The intermediate data-flow steps are
 * recomputed from the state's input with the interpreter's own steps ({@link DataFlowSteps}), except
 * the effective input of a Task, which is what the interpreter dispatched, and its result, which is
 * the mock's or the invoked resource's. At TRACE an invoked HTTP Task adds its request and response.
 */
final class Answer {

  private final TestStateRequest request;
  private final String name;
  private final String type;
  private final State state;
  private final JsonNode input;
  private final ObjectNode variables;
  private final StateTest.Run run;
  private final boolean failedWork;

  Answer(TestStateRequest request, String name, String type, StateMachineDefinition definition, JsonNode input,
      ObjectNode variables, StateTest.Run run) {
    this.request = request;
    this.name = name;
    this.type = type;
    this.state = definition.state(name);
    this.input = input;
    this.variables = variables;
    this.run = run;
    this.failedWork = run.workFailed();
  }

  ObjectNode response() {
    ObjectNode response = Json.object();
    ObjectNode errorDetails = Json.object();
    String status;
    if (run.retry != null) {
      status = "RETRIABLE";
      putError(response, run.workError(), run.workCause());
      errorDetails.put("retryIndex", run.retry.getRetrierIndex());
      errorDetails.put("retryBackoffIntervalSeconds", (int) (run.retryDelayMs / 1000));
    } else if (run.exited != null) {
      var exited = run.exited.getStateExitedEventDetails();
      response.put("output", exited.getOutput());
      if (!exited.getNext().isEmpty()) {
        response.put("nextState", exited.getNext());
      }
      if (failedWork) {
        status = "CAUGHT_ERROR";
        putError(response, run.workError(), run.workCause());
        errorDetails.put("catchIndex", catchIndex(state.catchers(), run.workError()));
      } else {
        status = "SUCCEEDED";
      }
    } else if (run.state.getStatus() == ExecutionStatus.SUCCEEDED) {
      status = "SUCCEEDED";
      response.put("output", run.state.getOutput());
    } else {
      status = "FAILED";
      putError(response, run.state.getError(), run.state.getCause());
      if (failedWork) {
        int retryIndex = retryIndex(state.retry(), run.workError());
        if (retryIndex >= 0) {
          errorDetails.put("retryIndex", retryIndex);
        }
      }
    }
    response.put("status", status);
    if (request.level() != TestStateRequest.InspectionLevel.INFO) {
      ObjectNode data = inspection(status.equals("SUCCEEDED"));
      if (!errorDetails.isEmpty()) {
        data.set("errorDetails", errorDetails);
      }
      response.set("inspectionData", data);
    }
    return response;
  }

  private static void putError(ObjectNode response, String error, String cause) {
    response.put("error", error);
    if (cause != null && !cause.isEmpty()) {
      response.put("cause", cause);
    }
  }

  /** The data-flow steps of the state, as AWS shows them for its type and query language. */
  private ObjectNode inspection(boolean succeeded) {
    ObjectNode data = Json.object();
    data.put("input", Json.write(input));
    DataFlow flow = state.flow();
    boolean jsonata = flow.isJsonata();
    EvaluationScope scope = EvaluationScope.of(input, context(), variables::get, new SplittableRandom(request.seed()));
    try {
      JsonNode afterInputPath = jsonata ? input : DataFlowSteps.afterInputPath(flow, scope);
      JsonNode result = null;
      switch (type) {
        case "Pass" -> {
          if (!jsonata) {
            State.Pass pass = (State.Pass) state;
            if (pass.result() != null) {
              result = pass.result();
              data.put("result", Json.write(result));
            } else {
              data.put("afterInputPath", Json.write(afterInputPath));
              result = DataFlowSteps.afterParameters(flow, scope.withInput(afterInputPath));
              data.put("afterParameters", Json.write(result));
            }
          }
        }
        case "Task" -> {
          if (!jsonata) {
            data.put("afterInputPath", Json.write(afterInputPath));
          }
          if (run.dispatched != null) {
            data.put(jsonata ? "afterArguments" : "afterParameters", run.dispatched.getInput());
          }
          if (succeeded && run.work != null && run.work.output() != null) {
            result = Json.parse(run.work.output());
            data.put("result", Json.write(result));
          }
        }
        case "Parallel" -> result = succeeded ? Json.parse(run.work.output()) : null;
        case "Map" -> {
          if (!jsonata) {
            data.put("afterInputPath", Json.write(afterInputPath));
          }
          ObjectNode definition = mapDefinition();
          data.put("maxConcurrency", definition.path("MaxConcurrency").asInt(0));
          if (definition.path("ToleratedFailureCount").isNumber()) {
            data.put("toleratedFailureCount", definition.get("ToleratedFailureCount").asInt());
          }
          if (definition.path("ToleratedFailurePercentage").isNumber()) {
            data.put("toleratedFailurePercentage", definition.get("ToleratedFailurePercentage").asDouble());
          }
        }
        default -> {
          // Choice, Succeed, Fail, Wait: InputPath is their only step before the output.
          if (!jsonata) {
            data.put("afterInputPath", Json.write(afterInputPath));
          }
        }
      }
      if (result != null && succeeded && !jsonata) {
        JsonNode selected = DataFlowSteps.afterResultSelector(flow, result, scope);
        data.put("afterResultSelector", Json.write(selected));
        data.put("afterResultPath", Json.write(DataFlowSteps.afterResultPath(flow, input, selected)));
      }
    } catch (StatesException e) {
      // The state failed at this step: the answer's error says so, and the later steps never happened.
    }
    if (request.level() == TestStateRequest.InspectionLevel.TRACE && run.work != null) {
      // The HTTP exchange of an invoked HTTP Task, as AWS shows it at TRACE.
      if (run.work.request() != null) {
        data.set("request", run.work.request());
      }
      if (run.work.response() != null) {
        data.set("response", run.work.response());
      }
    }
    ObjectNode after = variables.deepCopy();
    run.assigned().forEach(after::set);
    if (!after.isEmpty()) {
      data.put("variables", Json.write(after));
    }
    return data;
  }

  /** The Map state as the request wrote it (its compiled form here is the Task it ran as). */
  private ObjectNode mapDefinition() {
    JsonNode definition = Json.parse(request.definition());
    JsonNode map = request.stateName() == null ? definition : definition.path("States").path(name);
    return map instanceof ObjectNode object ? object : Json.object();
  }

  /** The context object the state's expressions see, as the interpreter builds it for the run. */
  private ObjectNode context() {
    String started = Instant.ofEpochMilli(request.timeMs()).toString();
    ObjectNode context = Json.object();
    String executionArn = request.executionArn();
    ObjectNode execution = context.putObject("Execution").put("Id", executionArn);
    execution.set("Input", input);
    execution.put("Name", executionArn.substring(executionArn.lastIndexOf(':') + 1))
        .put("RoleArn", request.roleArn() == null ? "" : request.roleArn()).put("StartTime", started);
    String machineArn = request.stateMachineArn();
    context.putObject("StateMachine").put("Id", machineArn).put("Name", machineArn.substring(machineArn.lastIndexOf(':') + 1));
    context.putObject("State").put("Name", name).put("EnteredTime", started).put("RetryCount", 0);
    return context;
  }

  private static int catchIndex(List<Catcher> catchers, String error) {
    for (int i = 0; i < catchers.size(); i++) {
      if (ErrorMatcher.matches(catchers.get(i).errorEquals(), error)) {
        return i;
      }
    }
    return -1;
  }

  private static int retryIndex(List<Retrier> retriers, String error) {
    for (int i = 0; i < retriers.size(); i++) {
      if (ErrorMatcher.matches(retriers.get(i).errorEquals(), error)) {
        return i;
      }
    }
    return -1;
  }
}
