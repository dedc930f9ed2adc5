package io.stepstream.gateway.execution;

import io.stepstream.proto.ExecutionState;
import java.util.Optional;

/**
 * Reads executions as the coordinator stores them (its executions store, through interactive
 * queries). Thread-safe; must not block for long (a local store read).
 */
@FunctionalInterface
public interface ExecutionReader {

  /** The execution's current state, or empty when it does not exist (or is not readable here). */
  Optional<ExecutionState> find(String executionArn);
}
