package io.stepstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.driver.ExecutionOutcome;
import io.stepstream.asl.history.HistoryEvents;
import io.stepstream.asl.interpreter.HistoryView;
import io.stepstream.proto.HistoryEvent;
import java.util.List;
import java.util.Map;

/**
 * How an execution run by a {@link Workflow} ended: status, output or error, the path of states it
 * took, and its history as GetExecutionHistory shows it (the same event types and details).
 */
public final class ExecutionResult {

  private final ExecutionOutcome outcome;
  private final Map<String, Integer> invocations;
  private final List<HistoryEvent> visible;

  ExecutionResult(ExecutionOutcome outcome, Map<String, Integer> invocations) {
    this.outcome = outcome;
    this.invocations = Map.copyOf(invocations);
    this.visible = outcome.events().stream().filter(HistoryView::isVisible).toList();
  }

  /** SUCCEEDED, FAILED, TIMED_OUT or ABORTED, as DescribeExecution names it. */
  public String status() {
    return outcome.status().name();
  }

  /** Whether the execution succeeded. */
  public boolean succeeded() {
    return "SUCCEEDED".equals(status());
  }

  /** The execution's output; JSON null unless it succeeded. */
  public JsonNode output() {
    return outcome.outputJson();
  }

  /** The error the execution failed with; empty unless it failed. */
  public String error() {
    return outcome.error();
  }

  /** The cause the execution failed with; empty unless it failed. */
  public String cause() {
    return outcome.cause();
  }

  /**
   * The names of the states entered, in order (a retried state once per entry; states of Parallel
   * branches and inline Map iterations where their events come).
   */
  public List<String> path() {
    return visible.stream().filter(HistoryEvent::hasStateEnteredEventDetails)
        .map(e -> e.getStateEnteredEventDetails().getName()).toList();
  }

  /** The history events as GetExecutionHistory returns them, oldest first. */
  public List<ObjectNode> history() {
    return visible.stream().map(e -> HistoryEvents.toJson(e, true)).toList();
  }

  /** The history event types, oldest first ({@code ExecutionStarted}, {@code PassStateEntered}, ...). */
  public List<String> historyTypes() {
    return visible.stream().map(e -> e.getType().name()).toList();
  }

  /** How many times the mocked Task states of this name were invoked (retries included); 0 if never. */
  public int invocations(String state) {
    return invocations.getOrDefault(state, 0);
  }

  @Override
  public String toString() {
    return status() + " via " + path() + (succeeded() ? " -> " + output() : " (" + error() + ": " + cause() + ")");
  }
}
