package io.stepstream.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A compiled state. One record per ASL state type, so that a {@code switch} over states is
 * exhaustive.
 */
public sealed interface State {

  String name();

  /** The ASL type name ("Pass", "Task", ...). */
  String type();

  DataFlow flow();

  /** The next state, or null for a terminal state or a Choice. */
  default String next() {
    return null;
  }

  default List<Retrier> retry() {
    return List.of();
  }

  default List<Catcher> catchers() {
    return List.of();
  }

  /** The {@code Pass} state. {@code result} is the constant {@code Result}, or null. */
  record Pass(String name, String next, DataFlow flow, JsonNode result) implements State {
    public String type() {
      return "Pass";
    }
  }

  /**
   * The {@code Task} state.
   *
   * @param timeoutSeconds TimeoutSeconds(Path), or null (no timeout)
   * @param heartbeatSeconds HeartbeatSeconds(Path), or null
   * @param waitForTaskToken the resource ends with {@code .waitForTaskToken}
   */
  record Task(
      String name,
      String next,
      DataFlow flow,
      List<Retrier> retry,
      List<Catcher> catchers,
      String resource,
      ValueTemplate timeoutSeconds,
      ValueTemplate heartbeatSeconds,
      boolean waitForTaskToken,
      JsonNode credentials) implements State {
    public String type() {
      return "Task";
    }
  }

  /** One entry of a Choice state's {@code Choices}. */
  record ChoiceBranch(Condition condition, String next, ValueTemplate assign, ValueTemplate output) {}

  /** The {@code Choice} state; {@code defaultNext} may be null. */
  record Choice(String name, DataFlow flow, List<ChoiceBranch> choices, String defaultNext) implements State {
    public String type() {
      return "Choice";
    }
  }

  /**
   * The {@code Wait} state: exactly one of {@code seconds} and {@code timestamp} is set; a
   * {@link PathValue} when given as SecondsPath or TimestampPath.
   */
  record Wait(String name, String next, DataFlow flow, ValueTemplate seconds, ValueTemplate timestamp)
      implements State {
    public String type() {
      return "Wait";
    }
  }

  /** The {@code Succeed} state. */
  record Succeed(String name, DataFlow flow) implements State {
    public String type() {
      return "Succeed";
    }
  }

  /** The {@code Fail} state; {@code error} and {@code cause} may be null. */
  record Fail(String name, DataFlow flow, ValueTemplate error, ValueTemplate cause) implements State {
    public String type() {
      return "Fail";
    }
  }

  /** The {@code Parallel} state. */
  record Parallel(
      String name,
      String next,
      DataFlow flow,
      List<Retrier> retry,
      List<Catcher> catchers,
      List<StateMachineDefinition> branches) implements State {
    public String type() {
      return "Parallel";
    }
  }

  /**
   * The {@code Map} state, inline or distributed.
   *
   * @param items ItemsPath (JSONPath) or Items (JSONata); gives the array to iterate over
   * @param itemSelector ItemSelector (or the legacy Parameters), or null
   * @param maxConcurrency MaxConcurrency(Path); evaluates to a number, 0 = unbounded
   * @param toleratedFailurePercentage ToleratedFailurePercentage(Path), or null
   * @param toleratedFailureCount ToleratedFailureCount(Path), or null
   * @param itemsExpression the JSONata Items expression as written (for error messages), or null
   */
  record Map(
      String name,
      String next,
      DataFlow flow,
      List<Retrier> retry,
      List<Catcher> catchers,
      StateMachineDefinition processor,
      boolean distributed,
      ValueTemplate items,
      ValueTemplate itemSelector,
      ValueTemplate maxConcurrency,
      ValueTemplate toleratedFailurePercentage,
      ValueTemplate toleratedFailureCount,
      JsonNode itemReader,
      JsonNode itemBatcher,
      JsonNode resultWriter,
      String label,
      String itemsExpression,
      DistributedConfig distributedConfig) implements State {
    public String type() {
      return "Map";
    }
  }
}
