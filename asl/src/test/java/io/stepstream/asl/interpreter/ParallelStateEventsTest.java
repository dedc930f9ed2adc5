package io.stepstream.asl.interpreter;

import static io.stepstream.proto.HistoryEventType.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.HistoryEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events of a Parallel state, with the ids and previousEventIds AWS gives them. */
class ParallelStateEventsTest {

  @Test
  void shouldEmitParallelStateSucceededBeforeParallelStateExited() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Fork", "States": {
          "Fork": {"Type": "Parallel", "Next": "After", "Branches": [
            {"StartAt": "Left", "States": {"Left": {"Type": "Pass", "Result": 1, "End": true}}},
            {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Result": 2, "End": true}}}]},
          "After": {"Type": "Pass", "End": true}}}""");

    run.start("{}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.state.getOutput()).isEqualTo("[1,2]");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, ParallelStateEntered, ParallelStateStarted,
        PassStateEntered, PassStateExited, PassStateEntered, PassStateExited,
        ParallelStateSucceeded, ParallelStateExited, PassStateEntered, PassStateExited, ExecutionSucceeded);
    // ParallelStateExited follows what ParallelStateSucceeded follows (the last branch event, #7), and
    // every later id counts ParallelStateSucceeded.
    assertThat(ids(run)).containsExactly("1<0", "2<0", "3<2", "4<3", "5<4", "6<5", "7<6", "8<7", "9<7", "10<9",
        "11<10", "12<11");
  }

  @Test
  void shouldEmitParallelStateSucceededForEachLevelOfNestedParallelStates() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Outer", "States": {
          "Outer": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Inner", "States": {"Inner": {"Type": "Parallel", "End": true, "Branches": [
              {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Pass", "End": true}}}]}}}]}}}""");

    run.start("{\"v\": 1}");

    assertThat(run.state.getOutput()).isEqualTo("[[{\"v\":1}]]");
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, ParallelStateEntered, ParallelStateStarted,
        ParallelStateEntered, ParallelStateStarted, PassStateEntered, PassStateExited,
        ParallelStateSucceeded, ParallelStateExited, ParallelStateSucceeded, ParallelStateExited, ExecutionSucceeded);
    assertThat(ids(run)).containsExactly("1<0", "2<0", "3<2", "4<3", "5<4", "6<5", "7<6", "8<7", "9<7", "10<9",
        "11<9", "12<11");
  }

  @Test
  void shouldNotEmitParallelStateSucceededWhenABranchFails() {
    ExecutionHarness run = new ExecutionHarness("""
        {"StartAt": "Fork", "States": {
          "Fork": {"Type": "Parallel", "Next": "Done", "Branches": [
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "E", "Cause": "c"}}}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]},
          "Done": {"Type": "Pass", "End": true}}}""");

    run.start("{}");

    assertThat(run.state.getStatus()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(run.visibleTypes()).containsExactly(ExecutionStarted, ParallelStateEntered, ParallelStateStarted,
        FailStateEntered, ParallelStateFailed, ParallelStateExited, PassStateEntered, PassStateExited,
        ExecutionSucceeded);
  }

  /** Each visible event as "id<previousEventId". */
  private static List<String> ids(ExecutionHarness run) {
    return run.history.stream().filter(HistoryView::isVisible)
        .map((HistoryEvent e) -> e.getId() + "<" + e.getPreviousEventId()).toList();
  }
}
