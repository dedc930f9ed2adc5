package io.stepstream.loadtest.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.DefinitionCompiler;
import io.stepstream.loadtest.chaos.HistoryAudit.History;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryAuditTest {

  @Test
  void shouldFindAWholeHistoryWhole() {
    History history = new History(List.of("ExecutionStarted", "TaskStateEntered", "ExecutionSucceeded"),
        List.of(1L, 2L, 3L), List.of(0L, 0L, 0L));

    assertThat(history.defects()).isEmpty();
    assertThat(history.terminals()).containsExactly("ExecutionSucceeded");
  }

  @Test
  void shouldNameEveryWayAHistoryRanTwice() {
    History twice = new History(List.of("ExecutionStarted", "ExecutionStarted", "ExecutionSucceeded", "ExecutionSucceeded"),
        List.of(1L, 2L, 2L, 3L), List.of(0L, 0L, 0L, 0L));

    assertThat(twice.defects()).containsExactly("2 ExecutionStarted",
        "2 terminal events [ExecutionSucceeded, ExecutionSucceeded]", "event ids repeated: [2]");
  }

  @Test
  void shouldNameAGapInTheEventIds() {
    History gap = new History(List.of("ExecutionStarted", "WaitStateEntered", "ExecutionSucceeded"),
        List.of(1L, 2L, 4L), List.of(0L, 0L, 0L));

    assertThat(gap.defects()).containsExactly("event ids are not 1..3 in order (position 3 has 4)");
  }

  @Test
  void shouldFindWhereAHistoryStoodStillApartFromItsWait() {
    History history = new History(List.of("ExecutionStarted", "TaskScheduled", "TaskStarted", "WaitStateEntered",
        "WaitStateExited", "ExecutionSucceeded"), List.of(1L, 2L, 3L, 4L, 5L, 6L),
        List.of(1_000L, 1_010L, 31_010L, 31_020L, 91_020L, 91_030L));

    assertThat(history.startedAtMs()).isEqualTo(1_000L);
    assertThat(history.longestStall()).isEqualTo(new HistoryAudit.Stall("TaskScheduled", "TaskStarted", 1_010L, 30_000L));
  }

  @Test
  void shouldReadAFaultSchedule() {
    assertThat(Fault.parse(Fault.Action.KILL, "instance-2@15s"))
        .isEqualTo(new Fault(Duration.ofSeconds(15), Fault.Action.KILL, "instance-2"));
    assertThat(Fault.parse(Fault.Action.RESTART, "broker-3@1m").at()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void shouldCompileTheChaosWorkflow() {
    assertThat(DefinitionCompiler.compile(ChaosWorkflow.definition("http://127.0.0.1:1/effect"))).isNotNull();
  }
}
