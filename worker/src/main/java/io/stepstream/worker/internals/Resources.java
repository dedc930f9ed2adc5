package io.stepstream.worker.internals;

import io.stepstream.asl.definition.TaskResourceArn;

/**
 * Which built-in resource runs a task (its ARN's integration pattern is read by {@link TaskResourceArn}).
 */
public final class Resources {

  private final FunctionResource functions;
  private final HttpTaskResource http;
  private final NestedExecutionResource nested;

  public Resources(FunctionResource functions, HttpTaskResource http, NestedExecutionResource nested) {
    this.functions = functions;
    this.http = http;
    this.nested = nested;
  }

  /**
   * How a task fails whose resource no built-in resource runs (an AWS service integration other than
   * functions, HTTP and nested executions), and so no worker.
   */
  public static Outcome.Failed unrunnable(String resource) {
    return new Outcome.Failed("States.Runtime", "No worker runs the resource '" + resource + "'");
  }

  /** The built-in resource that runs a task's resource, or null when none does. */
  public TaskResource find(String resource) {
    String base = TaskResourceArn.base(resource);
    if (FunctionResource.handles(base)) {
      return functions;
    }
    if (base.equals(HttpTaskResource.RESOURCE)) {
      return http;
    }
    if (base.equals(NestedExecutionResource.RESOURCE)) {
      return nested;
    }
    return null;
  }
}
