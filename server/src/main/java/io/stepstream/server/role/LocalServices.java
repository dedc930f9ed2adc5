package io.stepstream.server.role;

import io.stepstream.gateway.execution.ExecutionReader;
import io.stepstream.worker.TaskHandlers;
import io.stepstream.gateway.history.HistoryReader;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What roles of one process offer each other. The coordinator publishes how to read its executions
 * and the projector how to read histories; the gateway, started after both, reads through them.
 */
public final class LocalServices {

  private final AtomicReference<ExecutionReader> executions = new AtomicReference<>();
  private final AtomicReference<TaskHandlers> handlers = new AtomicReference<>(TaskHandlers.none());

  /** Sets the task handlers the worker role runs; call before the roles start. */
  public void useHandlers(TaskHandlers taskHandlers) {
    handlers.set(java.util.Objects.requireNonNull(taskHandlers));
  }

  /** The task handlers the worker role runs (none unless set). */
  public TaskHandlers handlers() {
    return handlers.get();
  }
  private final AtomicReference<HistoryReader> history = new AtomicReference<>();

  public void publishExecutions(ExecutionReader reader) {
    executions.set(reader);
  }

  /** The execution reader of this process's coordinator. */
  public ExecutionReader executions() {
    ExecutionReader reader = executions.get();
    if (reader == null) {
      throw new IllegalStateException("the gateway role needs the coordinator role in the same process");
    }
    return reader;
  }

  public void publishHistory(HistoryReader reader) {
    history.set(reader);
  }

  /** The history reader of this process's projector, or null when the process runs no projector. */
  public HistoryReader history() {
    return history.get();
  }
}
