package io.stepstream.asl.replay;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.ExecutionStateApplier;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.asl.interpreter.Step;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventBatch;
import java.util.List;

/**
 * Replays an execution's recorded history through an interpreter: for each recorded batch it runs
 * the batch's command on the state the history had before it, and compares the events produced with
 * the events recorded. The state always advances by the recorded events (state is a fold of
 * events), so a divergence is reported where it first appears and nothing after it is blamed on it.
 *
 * <p>Pure and thread-safe; the caller reads the batches (from the events topic) and the definition.
 */
public final class Replayer {

  private static final int DETAILS_LIMIT = 400;
  private static final OneofDescriptor DETAILS = HistoryEvent.getDescriptor().getOneofs().stream()
      .filter(oneof -> oneof.getName().equals("details")).findFirst().orElseThrow();

  private final Interpreter interpreter;

  /** @param interpreter the interpreter to check (usually the current one) */
  public Replayer(Interpreter interpreter) {
    this.interpreter = interpreter;
  }

  /**
   * Replays a whole history.
   *
   * @param definition the definition to run the commands against (the revision the execution
   *     started with, or another one to see whether it would have behaved the same)
   * @param batches the execution's batches in log order
   */
  public ReplayReport replay(StateMachineDefinition definition, List<HistoryEventBatch> batches) {
    ExecutionState.Builder state = ExecutionState.newBuilder();
    ReplayReport.Divergence divergence = null;
    int events = 0;
    for (HistoryEventBatch batch : batches) {
      if (divergence == null) {
        divergence = compare(interpreter.process(state.build(), batch.getCommand(), definition), batch);
      }
      for (HistoryEvent event : batch.getEventsList()) {
        ExecutionStateApplier.applyTo(state, event);
      }
      events += batch.getEventsCount();
    }
    return new ReplayReport(batches.size(), events, divergence, state.build());
  }

  /**
   * The execution's state right after event {@code eventId} (the fold of the events up to it).
   *
   * @throws IllegalArgumentException when the history has no such event
   */
  public static ExecutionState stateAt(List<HistoryEventBatch> batches, long eventId) {
    ExecutionState.Builder state = ExecutionState.newBuilder();
    for (HistoryEventBatch batch : batches) {
      for (HistoryEvent event : batch.getEventsList()) {
        ExecutionStateApplier.applyTo(state, event);
        if (event.getId() == eventId) {
          return state.build();
        }
      }
    }
    throw new IllegalArgumentException("the history has no event " + eventId + " (it ends at " + state.getLastEventId() + ")");
  }

  private static ReplayReport.Divergence compare(Step step, HistoryEventBatch batch) {
    String command = batch.getCommand().getKindCase().name();
    List<HistoryEvent> recorded = batch.getEventsList();
    if (step.rejected()) {
      return recorded.isEmpty() ? null : new ReplayReport.Divergence(recorded.get(0).getId(), command, recorded.get(0),
          null, step.rejection().type() + ": " + step.rejection().message());
    }
    List<HistoryEvent> produced = step.events();
    for (int i = 0; i < Math.max(recorded.size(), produced.size()); i++) {
      HistoryEvent expected = i < recorded.size() ? recorded.get(i) : null;
      HistoryEvent actual = i < produced.size() ? produced.get(i) : null;
      if (expected == null || !expected.equals(actual)) {
        long id = expected != null ? expected.getId() : actual.getId();
        return new ReplayReport.Divergence(id, command, expected, actual, null);
      }
    }
    return null;
  }

  /** The event's details (the AWS-shaped part) on one line, shortened; "" when it has none. */
  static String details(HistoryEvent event) {
    FieldDescriptor field = event.getOneofFieldDescriptor(DETAILS);
    if (field == null) {
      return "";
    }
    return shorten(TextFormat.printer().emittingSingleLine(true).printToString((Message) event.getField(field)));
  }

  /** The whole event on one line, shortened. */
  static String oneLine(HistoryEvent event) {
    return event == null ? "nothing" : shorten(TextFormat.printer().emittingSingleLine(true).printToString(event));
  }

  private static String shorten(String text) {
    return text.length() <= DETAILS_LIMIT ? text : text.substring(0, DETAILS_LIMIT) + "...";
  }
}
