package io.stepstream.server.role;

import io.stepstream.gateway.execution.ExecutionReader;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What roles of one process offer each other. The coordinator publishes how to read its executions;
 * the gateway, started after it, reads executions through it.
 */
public final class LocalServices {

  private final AtomicReference<ExecutionReader> executions = new AtomicReference<>();

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
}
