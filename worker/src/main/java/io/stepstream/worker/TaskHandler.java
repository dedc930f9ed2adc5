package io.stepstream.worker;

/**
 * The code behind a Task state: typed input in, typed output out.
 *
 * <p>Register a handler under a function name with {@link TaskHandlers.Builder#register}; a Task
 * state whose resource names that function ({@code arn:aws:states:::lambda:invoke} with
 * {@code FunctionName}, or a plain function ARN) runs it. Input and output are converted with
 * Jackson, so records work as payloads.
 *
 * <p>Called on a virtual thread of its own; blocking is fine. The same invocation may run more than
 * once (redelivery after a worker crash); {@link TaskContext#idempotencyKey()} is the same each
 * time. To fail the task with an error that {@code Retry}/{@code Catch} can match, throw
 * {@link TaskFailure}; any other exception fails it too (see {@link TaskFailure#of(Throwable)}).
 *
 * @param <I> the input type (the task's payload), {@code JsonNode} for raw JSON
 * @param <O> the output type; {@code null} is JSON null
 */
@FunctionalInterface
public interface TaskHandler<I, O> {

  /**
   * Runs one invocation.
   *
   * @param input the task's payload converted to {@code I}
   * @param context what the invocation is and what it may do (heartbeats, cancellation); never null
   * @return the task's result
   * @throws Exception to fail the task; a {@link TaskFailure} keeps its error name and cause
   */
  O handle(I input, TaskContext context) throws Exception;
}
