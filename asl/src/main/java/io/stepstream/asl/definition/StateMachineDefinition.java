package io.stepstream.asl.definition;

import java.util.Map;

/**
 * A compiled state machine, or a Parallel branch or Map processor within one.
 *
 * @param states by name, in definition order
 * @param timeoutSeconds the top-level TimeoutSeconds, 0 when not set
 */
public record StateMachineDefinition(
    String startAt,
    Map<String, State> states,
    long timeoutSeconds,
    QueryLanguage queryLanguage) {

  /** The state of that name; never null for names reached through the definition's transitions. */
  public State state(String name) {
    State state = states.get(name);
    if (state == null) {
      throw new IllegalArgumentException("no state named " + name);
    }
    return state;
  }
}
