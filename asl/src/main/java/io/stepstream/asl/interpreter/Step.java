package io.stepstream.asl.interpreter;

import io.stepstream.proto.Effect;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import java.util.List;

/**
 * What one command did to an execution.
 *
 * @param state the state after the events (equal to folding them into the previous state)
 * @param events the new history events, in order
 * @param effects what the host must do: dispatch tasks, start timers, report completion
 * @param rejection set when the command was refused; then there are no events and no effects
 */
public record Step(ExecutionState state, List<HistoryEvent> events, List<Effect> effects, Rejection rejection) {

  public boolean rejected() {
    return rejection != null;
  }

  /** A refused command: an AWS-shaped error type and message (e.g. TaskDoesNotExist). */
  public record Rejection(String type, String message) {}
}
