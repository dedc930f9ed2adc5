package io.stepstream.asl.teststate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.proto.DispatchTask;

/**
 * Runs the resource of a Task state that TestState tests without a mock, as AWS's TestState invokes
 * the real resource. The pure core only calls it: the implementation lives where resources are run
 * (the worker module), and the host decides which resources it can run.
 *
 * <p>Implementations are thread-safe. {@link #invoke} blocks the calling thread for the length of
 * the call, so the host must not call {@link StateTest#run} on a thread that may not block.
 */
public interface TaskInvoker {

  /** Runs nothing: every Task state needs a mock. */
  TaskInvoker NONE = new TaskInvoker() {
    @Override
    public String refusal(String resource) {
      return "Stepstream's TestState runs a Task state only with a mock (mock.result or mock.errorOutput) here: "
          + "it has nothing to invoke the resource '" + resource + "' with";
    }

    @Override
    public Result invoke(DispatchTask task) {
      throw new IllegalStateException("TaskInvoker.NONE invokes nothing; refusal() refused " + task.getResource());
    }
  };

  /**
   * Why this invoker cannot run a resource, as the message of the ValidationException TestState
   * answers, or null when it can. Called before the state runs; integration patterns
   * ({@code .sync}, {@code .waitForTaskToken}) and activities are refused before it is asked.
   *
   * @param resource the Task state's {@code Resource}, as written
   */
  String refusal(String resource);

  /**
   * Runs one attempt of the task, once, and returns what it came to: a result, an error, or a time-out
   * when it ran past the task's {@code timeout_seconds} (or past TestState's own limit). Never throws
   * for the resource's failures; those are {@link Result#failed}.
   *
   * @param task the task as the interpreter dispatched it (resource, effective parameters, time-out)
   */
  Result invoke(DispatchTask task);

  /**
   * What one invocation came to, and what TestState shows of it at TRACE.
   *
   * @param output the result (JSON text) when it succeeded, else null
   * @param error the error name when it failed, else null
   * @param cause the error's cause; may be null
   * @param timedOut whether it ran out of time (then {@code output} and {@code error} are null)
   * @param request the HTTP request as {@code inspectionData.request} shows it, or null
   * @param response the HTTP response as {@code inspectionData.response} shows it, or null
   */
  record Result(String output, String error, String cause, boolean timedOut, ObjectNode request, ObjectNode response) {

    /** A result; {@code request} and {@code response} may be null. */
    public static Result succeeded(String output, ObjectNode request, ObjectNode response) {
      return new Result(output, null, null, false, request, response);
    }

    /** An error; {@code request} and {@code response} may be null. */
    public static Result failed(String error, String cause, ObjectNode request, ObjectNode response) {
      return new Result(null, error, cause, false, request, response);
    }

    /** A call that did not end in time; {@code request} may be null. */
    public static Result timedOut(ObjectNode request) {
      return new Result(null, null, null, true, request, null);
    }
  }
}
