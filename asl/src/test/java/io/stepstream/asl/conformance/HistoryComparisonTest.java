package io.stepstream.asl.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.stepstream.asl.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryComparisonTest {

  /** AWS's order of a nested Parallel (one branch holding a Parallel with one Pass branch). */
  private static final List<String> NESTED_PARALLEL = List.of(
      "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
      "ParallelStateEntered", "ParallelStateStarted", "PassStateEntered", "PassStateExited",
      "ParallelStateSucceeded", "ParallelStateExited",
      "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded");

  @Test
  void shouldRewriteANestedParallelAsLocalStackRecordedIt() {
    // The recording of base_scenarios.parallel_state_nested: ids 1, 2, 3, [0], 5, [0], [0], 11, 12.
    List<HistoryComparison.Entry> rewritten = HistoryComparison.maskParallelRuns(
        NESTED_PARALLEL.stream().map(type -> new HistoryComparison.Entry(type, false)).toList());

    assertThat(rewritten).extracting(Object::toString).containsExactly(
        "ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted", "[ParallelStateEntered]",
        "ParallelStateStarted", "[PassStateEntered]", "[PassStateExited]", "ParallelStateExited",
        "ExecutionSucceeded");
  }

  @Test
  void shouldMatchTheRecordedNestedParallelHistory() {
    JsonNode recorded = history("1 ExecutionStarted", "2 ParallelStateEntered", "3 ParallelStateStarted",
        "[0] ParallelStateEntered", "5 ParallelStateStarted", "[0] PassStateEntered", "[0] PassStateExited",
        "11 ParallelStateExited", "12 ExecutionSucceeded");

    assertThat(HistoryComparison.difference(recorded, NESTED_PARALLEL)).isNull();
  }

  @Test
  void shouldCompareTheMaskedEventsOfConcurrentBranchesAsAMultiset() {
    JsonNode recorded = history("1 ExecutionStarted", "2 ParallelStateEntered", "3 ParallelStateStarted",
        "[0] PassStateEntered", "[0] PassStateEntered", "[0] PassStateExited", "[0] PassStateExited",
        "9 ParallelStateExited", "10 ExecutionSucceeded");
    List<String> interleaved = List.of("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
        "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited",
        "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded");
    List<String> missingExit = List.of("ExecutionStarted", "ParallelStateEntered", "ParallelStateStarted",
        "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateEntered",
        "ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded");

    assertThat(HistoryComparison.difference(recorded, interleaved)).isNull();
    assertThat(HistoryComparison.difference(recorded, missingExit)).startsWith("parallel events 3..6 differ");
  }

  @Test
  void shouldCompareAnUnmaskedHistoryInOrder() {
    JsonNode recorded = history("1 ExecutionStarted", "2 PassStateEntered", "3 PassStateExited",
        "4 ExecutionSucceeded");

    assertThat(HistoryComparison.difference(recorded,
        List.of("ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"))).isNull();
    assertThat(HistoryComparison.difference(recorded,
        List.of("ExecutionStarted", "PassStateExited", "PassStateEntered", "ExecutionSucceeded")))
        .startsWith("event 1: expected [ExecutionStarted, PassStateEntered");
    assertThat(HistoryComparison.difference(recorded,
        List.of("ExecutionStarted", "PassStateEntered", "PassStateExited")))
        .endsWith("(4 vs 3 events)");
  }

  /** Events written as "id Type"; an id of "[0]" is masked as LocalStack masks it (the array [0]). */
  private static JsonNode history(String... events) {
    ArrayNode history = Json.array();
    for (String event : events) {
      String[] parts = event.split(" ");
      history.addObject()
          .put("type", parts[1])
          .set("id", parts[0].equals("[0]") ? Json.array().add(0) : Json.NODES.numberNode(Long.parseLong(parts[0])));
    }
    return history;
  }
}
