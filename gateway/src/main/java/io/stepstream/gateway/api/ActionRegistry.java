package io.stepstream.gateway.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The table of API actions by name ({@code CreateStateMachine}, without the
 * {@code AWSStepFunctions.} prefix). Built once, then read-only and thread-safe.
 */
public final class ActionRegistry {

  private final Map<String, Action> actions;

  private ActionRegistry(Map<String, Action> actions) {
    this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
  }

  /** Returns a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Looks an action up.
   *
   * @param name the action name
   * @return the action, or null if there is none of that name
   */
  public Action find(String name) {
    return actions.get(name);
  }

  /** Returns the action names in registration order. */
  public Iterable<String> names() {
    return actions.keySet();
  }

  /** Builds an {@link ActionRegistry}; not thread-safe. */
  public static final class Builder {

    private final Map<String, Action> actions = new LinkedHashMap<>();

    private Builder() {
    }

    /**
     * Registers an action.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public Builder on(String name, Action action) {
      Objects.requireNonNull(action, "action");
      if (actions.putIfAbsent(name, action) != null) {
        throw new IllegalArgumentException("Action registered twice: " + name);
      }
      return this;
    }

    /** Returns the registry. */
    public ActionRegistry build() {
      return new ActionRegistry(actions);
    }
  }
}
