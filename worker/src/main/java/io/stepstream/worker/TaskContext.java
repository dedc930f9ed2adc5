package io.stepstream.worker;

/**
 * What a {@link TaskHandler} knows about its invocation, and what it may do besides returning.
 *
 * <p>Passed explicitly (no thread-local), so a handler needs no runtime to be unit-tested:
 * {@link TaskTestEnvironment} provides one. Implementations are thread-safe.
 */
public interface TaskContext {

  /** The ARN of the execution the task belongs to. */
  String executionArn();

  /** The name of the Task state. */
  String stateName();

  /** 1 for the first attempt, plus one per {@code Retry}. */
  int attempt();

  /**
   * Stable across redeliveries of the same attempt (execution, state entry, attempt): use it to
   * make side effects idempotent.
   */
  String idempotencyKey();

  /** The task token of this invocation. */
  String taskToken();

  /**
   * The W3C {@code traceparent} of the task's span when its state machine is traced (its
   * {@code tracingConfiguration} is enabled and the server exports traces), "" otherwise: pass it
   * on (as the {@code traceparent} header of an outgoing request, or as the parent of the handler's
   * own spans) so that the work joins the execution's trace.
   */
  default String traceparent() {
    return "";
  }

  /**
   * Tells the execution the task is alive: resets its {@code HeartbeatSeconds} clock. Returns at
   * once (the heartbeat is sent in the background); harmless when the state has no
   * HeartbeatSeconds.
   */
  void heartbeat();

  /**
   * Whether the invocation should stop: its {@code TimeoutSeconds} have passed (the execution has
   * already failed it with {@code States.Timeout}) or the worker is shutting down. The invocation's
   * thread is interrupted at the same moment; a result returned afterwards is ignored.
   */
  boolean isCancelled();
}
