package io.stepstream.asl.tracing;

import io.stepstream.asl.history.HistoryEventDetails;
import io.stepstream.asl.interpreter.ExecutionStateApplier;
import io.stepstream.asl.interpreter.Frames;
import io.stepstream.asl.logging.LoggingConfiguration;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStateOrBuilder;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.FrameOrBuilder;
import io.stepstream.proto.FrameStatus;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.HistoryEventType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spans of an execution, derived from its state and its events alone.
 *
 * <p>What is open is a function of the execution's state: the execution while it runs, each flow's
 * current state once entered, and each scheduled task. So the spans one command ends are those open
 * before one of its events and no longer open after it, ended at that event's time; a span opened and
 * ended by the same command (a Pass state) is found the same way. Every id is a hash of what the
 * state records (execution ARN, redrive count, the ids of the Entered and Scheduled events), and the
 * trace id comes from the context the execution was started in (or from its ARN), so a span opened
 * on one instance and ended on another, or computed again after a crash, is the same span. A span is
 * emitted once, by the command whose events end it.
 *
 * <p>Pure: no clock, no I/O; thread-safe.
 */
public final class ExecutionSpans {

  private static final HexFormat HEX = HexFormat.of();

  private ExecutionSpans() {}

  /**
   * The spans that one command's events ended.
   *
   * @param before the execution before the command (the default instance for a new one)
   * @param events the command's events, in order
   * @param commandTimeMs the command's time: the end of a span that disappears without an event of its own
   */
  public static List<FinishedSpan> finished(ExecutionState before, List<HistoryEvent> events, long commandTimeMs) {
    ExecutionState.Builder state = before.toBuilder();
    Map<String, OpenSpan> open = new LinkedHashMap<>();
    collect(state, "", open);
    List<FinishedSpan> finished = new ArrayList<>();
    for (HistoryEvent event : events) {
      String scope = isExecutionLevel(event.getType()) ? "" : event.getFrame();
      ExecutionStateApplier.applyTo(state, event);
      Map<String, OpenSpan> now = new LinkedHashMap<>();
      collect(state, scope, now);
      for (var it = open.entrySet().iterator(); it.hasNext(); ) {
        OpenSpan span = it.next().getValue();
        if (within(span.frame(), scope) && !now.containsKey(span.spanId())) {
          finished.add(span.end(state, event.getTimestampMs(), event));
          it.remove();
        }
      }
      now.forEach(open::putIfAbsent);
    }
    // What disappeared without an event in its own flow (a branch aborted with its Parallel state).
    Map<String, OpenSpan> still = new HashMap<>();
    collect(state, "", still);
    for (OpenSpan span : open.values()) {
      if (!still.containsKey(span.spanId())) {
        finished.add(span.end(state, commandTimeMs, null));
      }
    }
    return finished;
  }

  /**
   * The W3C traceparent of every task the execution waits on, by task token: the context handed to
   * the worker that runs it.
   */
  public static Map<String, String> taskTraceparents(ExecutionState state) {
    Map<String, OpenSpan> open = new LinkedHashMap<>();
    collect(state, "", open);
    Map<String, String> byToken = new HashMap<>();
    for (OpenSpan span : open.values()) {
      if (span.kind() == FinishedSpan.Kind.TASK) {
        byToken.put(span.taskToken(), "00-" + span.traceId() + "-" + span.spanId() + "-01");
      }
    }
    return byToken;
  }

  /** The execution's trace: from the context it was started in, else derived from its ARN. */
  static TraceContext trace(ExecutionStateOrBuilder state) {
    return TraceContext.parse(state.getTraceHeader())
        .orElseGet(() -> new TraceContext(hash("trace|" + state.getExecutionArn(), 16), "", true));
  }

  /** Puts the spans open in the flow {@code scope} and the flows inside it into {@code into}, by span id. */
  private static void collect(ExecutionStateOrBuilder state, String scope, Map<String, OpenSpan> into) {
    if (state.getStatus() != ExecutionStatus.RUNNING) {
      return;
    }
    TraceContext trace = trace(state);
    String executionSpan = hash("execution|" + state.getExecutionArn() + "|" + state.getRedriveCount(), 8);
    if (scope.isEmpty()) {
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("stepfunctions.execution.arn", state.getExecutionArn());
      attributes.put("stepfunctions.state_machine.arn", state.getStateMachineArn());
      attributes.put("stepfunctions.execution.redrive_count", Integer.toString(state.getRedriveCount()));
      long start = state.getRedriveCount() > 0 ? state.getRedriveTimeMs() : state.getStartTimeMs();
      into.put(executionSpan, new OpenSpan(trace.traceId(), executionSpan, trace.spanId(),
          "execution " + machineName(state.getStateMachineArn()), FinishedSpan.Kind.EXECUTION, start, "", "",
          attributes));
    }
    FrameOrBuilder frame = Frames.get(state, scope);
    if (frame == null) {
      return;
    }
    String parent = scope.isEmpty() ? executionSpan : enclosingStateSpan(state, scope);
    if (parent != null) {
      collect(state, trace, frame, parent, into);
    }
  }

  private static void collect(ExecutionStateOrBuilder state, TraceContext trace, FrameOrBuilder frame, String parent,
      Map<String, OpenSpan> into) {
    if (frame.getStatus() != FrameStatus.FRAME_RUNNING || !frame.getEntered()) {
      return;
    }
    String stateSpan = stateSpanId(state, frame);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("stepfunctions.execution.arn", state.getExecutionArn());
    attributes.put("stepfunctions.state.name", frame.getStateName());
    attributes.put("stepfunctions.state.entered_event_id", Long.toString(frame.getEnteredEventId()));
    into.put(stateSpan, new OpenSpan(trace.traceId(), stateSpan, parent, "state " + frame.getStateName(),
        FinishedSpan.Kind.STATE, frame.getEnteredTimeMs(), frame.getId(), "", attributes));
    if (frame.hasTask()) {
      String taskSpan = hash("task|" + state.getExecutionArn() + "|" + frame.getId() + "|"
          + frame.getActivityEventId() + "|" + frame.getTask().getTaskToken(), 8);
      Map<String, String> task = new LinkedHashMap<>();
      task.put("stepfunctions.execution.arn", state.getExecutionArn());
      task.put("stepfunctions.state.name", frame.getStateName());
      task.put("stepfunctions.task.resource", frame.getTask().getResource());
      task.put("stepfunctions.task.scheduled_event_id", Long.toString(frame.getActivityEventId()));
      long scheduled = frame.getTask().getScheduledTimeMs() > 0 ? frame.getTask().getScheduledTimeMs()
          : frame.getEnteredTimeMs();
      into.put(taskSpan, new OpenSpan(trace.traceId(), taskSpan, stateSpan, "task " + frame.getStateName(),
          FinishedSpan.Kind.TASK, scheduled, frame.getId(), frame.getTask().getTaskToken(), task));
    } else if (frame.hasParallel()) {
      for (FrameOrBuilder branch : frame.getParallelOrBuilder().getBranchesOrBuilderList()) {
        collect(state, trace, branch, stateSpan, into);
      }
    } else if (frame.hasMap()) {
      for (FrameOrBuilder iteration : frame.getMapOrBuilder().getRunningOrBuilderList()) {
        collect(state, trace, iteration, stateSpan, into);
      }
    }
  }

  /** The span of the Parallel or Map state that holds flow {@code frameId}; null when it is not open. */
  private static String enclosingStateSpan(ExecutionStateOrBuilder state, String frameId) {
    FrameOrBuilder parent = Frames.get(state, Frames.parentId(frameId));
    if (parent == null || parent.getStatus() != FrameStatus.FRAME_RUNNING || !parent.getEntered()) {
      return null;
    }
    return stateSpanId(state, parent);
  }

  private static String stateSpanId(ExecutionStateOrBuilder state, FrameOrBuilder frame) {
    return hash("state|" + state.getExecutionArn() + "|" + frame.getId() + "|" + frame.getEnteredEventId() + "|"
        + frame.getEnteredTimeMs() + "|" + frame.getStateName(), 8);
  }

  private static boolean within(String frame, String scope) {
    return scope.isEmpty() || frame.equals(scope) || frame.startsWith(scope + "/");
  }

  private static boolean isExecutionLevel(HistoryEventType type) {
    return switch (type) {
      case ExecutionStarted, ExecutionSucceeded, ExecutionFailed, ExecutionAborted, ExecutionTimedOut,
          ExecutionRedriven -> true;
      default -> false;
    };
  }

  private static String machineName(String stateMachineArn) {
    int marker = stateMachineArn.indexOf(":stateMachine:");
    if (marker < 0) {
      return stateMachineArn;
    }
    String rest = stateMachineArn.substring(marker + ":stateMachine:".length());
    int colon = rest.indexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  /** {@code bytes} bytes of SHA-256 of the text, in hex (never all zero in practice). */
  static String hash(String text, int bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(digest, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A span while it is open. */
  private record OpenSpan(String traceId, String spanId, String parentSpanId, String name, FinishedSpan.Kind kind,
      long startMs, String frame, String taskToken, Map<String, String> attributes) {

    /** This span, ended at {@code endMs} by {@code event} (null when no event of its own ended it). */
    FinishedSpan end(ExecutionStateOrBuilder state, long endMs, HistoryEvent event) {
      boolean error = event != null && LoggingConfiguration.Level.ERROR.logs(event.getType());
      String message = "";
      if (error) {
        ObjectNode details = HistoryEventDetails.toJson(event, false);
        String text = details == null ? "" : details.path("error").asText("");
        String cause = details == null ? "" : details.path("cause").asText("");
        message = event.getType().name() + (text.isEmpty() ? "" : ": " + text) + (cause.isEmpty() ? "" : ": " + cause);
      } else if (kind == FinishedSpan.Kind.EXECUTION && state.getStatus() != ExecutionStatus.SUCCEEDED
          && state.getStatus() != ExecutionStatus.RUNNING) {
        error = true;
        message = state.getStatus().name() + (state.getError().isEmpty() ? "" : ": " + state.getError());
      }
      return new FinishedSpan(traceId, spanId, parentSpanId, name, kind, startMs, Math.max(startMs, endMs), error,
          message, attributes);
    }
  }
}
