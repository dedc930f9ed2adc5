package io.stepstream.asl.replay;

import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;

/**
 * What a replay found.
 *
 * @param batches how many recorded batches (commands) were replayed
 * @param events how many recorded events were compared
 * @param divergence the first difference between the recorded and the re-produced history; null when
 *     the interpreter produced exactly the recorded events ("deterministic")
 * @param state the execution's state after the recorded events (the fold of the history)
 */
public record ReplayReport(int batches, int events, Divergence divergence, ExecutionState state) {

  /** Whether every recorded command produced exactly its recorded events. */
  public boolean deterministic() {
    return divergence == null;
  }

  /**
   * One line for a person: "deterministic (N commands, M events; STATUS)" or where and how the
   * histories part.
   */
  public String summary() {
    if (divergence == null) {
      return "deterministic (" + batches + " commands, " + events + " events; " + state.getStatus() + ")";
    }
    String expected = Divergence.describe(divergence.expected());
    String produced = divergence.rejection() != null ? "a rejection: " + divergence.rejection()
        : Divergence.describe(divergence.produced());
    if (expected.equals(produced)) {
      // They differ outside type and details (ids, timers, frame bookkeeping): show everything.
      expected = Replayer.oneLine(divergence.expected());
      produced = Replayer.oneLine(divergence.produced());
    }
    return "diverged at event " + divergence.eventId() + " (command " + divergence.command() + "): expected "
        + expected + "; produced " + produced;
  }

  /**
   * The first place where the histories differ.
   *
   * @param eventId the id of the first event that differs
   * @param command the kind of the recorded command being replayed (e.g. REPORT_TASK_SUCCEEDED)
   * @param expected the recorded event, or null when the interpreter produced more events than recorded
   * @param produced the re-produced event, or null when it produced fewer (or rejected the command,
   *     see {@code rejection})
   * @param rejection the interpreter's rejection of the command, or null
   */
  public record Divergence(long eventId, String command, HistoryEvent expected, HistoryEvent produced, String rejection) {

    /** A short form of an event: its type, frame and details in one line. */
    static String describe(HistoryEvent event) {
      if (event == null) {
        return "nothing";
      }
      StringBuilder text = new StringBuilder(event.getType().name());
      if (!event.getFrame().isEmpty()) {
        text.append(" [").append(event.getFrame()).append(']');
      }
      String details = Replayer.details(event);
      if (!details.isEmpty()) {
        text.append(' ').append(details);
      }
      return text.toString();
    }
  }
}
