package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The Wait state: a durable timer for Seconds, SecondsPath, Timestamp or TimestampPath. */
final class WaitHandler {

  private WaitHandler() {}

  static void enter(Runner runner, String frameId, State.Wait wait, JsonNode raw) {
    long due;
    try {
      due = dueTime(runner, frameId, wait, raw);
    } catch (StatesException e) {
      runner.emitEntered(frameId, wait, raw, null);
      runner.fail(frameId, wait, raw, e);
      return;
    }
    if (due <= runner.s.now) {
      runner.emitEntered(frameId, wait, raw, null);
      resume(runner, frameId, wait, raw);
      return;
    }
    TimerRef timer = TimerRef.newBuilder().setTimerId(runner.s.nextTimerId("w"))
        .setDueTimeMs(due).setPurpose(TimerPurpose.WAIT_END).build();
    runner.emitEntered(frameId, wait, raw, timer);
  }

  /** The wait is over: the state exits with its input. */
  static void resume(Runner runner, String frameId, State.Wait wait, JsonNode raw) {
    try {
      JsonNode input = runner.s.input(frameId, wait, raw);
      EvaluationScope scope = runner.s.scope(frameId, wait, input, null);
      var assigned = wait.flow().assign() == null ? null : InputOutput.assign(wait.flow().assign(), scope);
      JsonNode output = wait.flow().isJsonata()
          ? (wait.flow().output() == null ? raw : wait.flow().output().evaluate(scope.withInput(raw), "Output"))
          : InputOutput.selectOutput(wait.flow(), scope, input);
      runner.exit(frameId, wait, raw, output, assigned, null);
    } catch (StatesException e) {
      runner.fail(frameId, wait, raw, e);
    }
  }

  private static long dueTime(Runner runner, String frameId, State.Wait wait, JsonNode raw) {
    boolean jsonata = wait.flow().isJsonata();
    JsonNode input = runner.s.input(frameId, wait, raw);
    EvaluationScope scope = runner.s.scope(frameId, wait, input, null);
    if (wait.seconds() != null) {
      JsonNode seconds = wait.seconds().evaluate(scope, jsonata ? "Seconds" : "SecondsPath");
      if (!seconds.isIntegralNumber() || seconds.longValue() < 0) {
        throw jsonata
            ? StatesException.queryEvaluation("The Seconds field must be a non-negative integer: " + seconds, "Seconds")
            : StatesException.runtime("The SecondsPath parameter does not reference a valid integer value: " + seconds);
      }
      return runner.s.now + Math.multiplyExact(seconds.longValue(), 1000L);
    }
    JsonNode timestamp = wait.timestamp().evaluate(scope, jsonata ? "Timestamp" : "TimestampPath");
    String text = timestamp.isTextual() ? timestamp.textValue() : timestamp.toString();
    Long millis = parseTimestamp(text);
    if (millis == null) {
      if (jsonata) {
        throw StatesException.queryEvaluation(
            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + text, "Timestamp");
      }
      throw new StatesException(StatesErrors.RUNTIME,
          "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
              + pathText(wait) + " == " + text);
    }
    return millis;
  }

  private static String pathText(State.Wait wait) {
    return wait.timestampPathText();
  }

  /** Epoch millis of an RFC 3339 date-time with an offset, or null when it is not one. */
  static Long parseTimestamp(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
