package io.stepstream.gateway.execution;

import io.stepstream.proto.ExecutionState;
import java.util.Optional;

/**
 * Reads executions as the coordinator stores them (its executions store, through interactive
 * queries), and says which instance holds the ones not stored here. Thread-safe; must not block for
 * long (a local store read, the group's metadata).
 */
@FunctionalInterface
public interface ExecutionReader {

  /** The execution's current state, or empty when it does not exist (or is not readable here). */
  Optional<ExecutionState> find(String executionArn);

  /**
   * The API address (host:port) of the instance whose store holds the execution when it is another
   * one. Called only after {@link #find} missed, so a single instance pays nothing for it.
   *
   * @return empty when this instance holds it, or nobody is known to (the default: one instance)
   */
  default Optional<String> remoteOwner(String executionArn) {
    return Optional.empty();
  }
}
