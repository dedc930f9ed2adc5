package io.stepstream.worker.internals;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A kind of Task resource the worker runs (function invoke, HTTP invoke, nested executions).
 * Implementations are thread-safe; {@link #run} is called on a virtual thread and may block.
 */
public interface TaskResource {

  /**
   * The name the per-function concurrency limit is counted under (the function name for a
   * function, the resource otherwise).
   */
  String concurrencyKey(Invocation invocation, JsonNode parameters);

  /**
   * Runs one task.
   *
   * @param invocation the task and its context
   * @param parameters the task's effective parameters
   * @return what to report; {@link Outcome#SILENT} when the result arrives another way
   * @throws InterruptedException when the invocation was cancelled while waiting
   */
  Outcome run(Invocation invocation, JsonNode parameters) throws InterruptedException;
}
