package io.stepstream.asl.interpreter;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.dataflow.PathFailures;
import io.stepstream.asl.definition.PathValue;
import io.stepstream.asl.definition.State;
import io.stepstream.asl.definition.ValueTemplate;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.proto.TimerPurpose;
import io.stepstream.proto.TimerRef;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The Wait state: a durable timer for Seconds, SecondsPath, Timestamp or TimestampPath. */
final class WaitHandler {

  /**
   * The longest delay AWS accepts: a TimestampPath 24,855 days ahead waits, one 24,856 days ahead
   * fails with {@link #TOO_LONG} (recorded on AWS), so AWS holds the delay in a 32-bit count of seconds.
   */
  static final long MAX_DELAY_SECONDS = Integer.MAX_VALUE;

  static final String TOO_LONG = "Wait state delay is too long.";

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
    JsonNode input = runner.s.input(frameId, wait, raw);
    EvaluationScope scope = runner.s.scope(frameId, wait, input, null);
    long now = runner.s.now;
    if (wait.seconds() != null) {
      long seconds = seconds(wait.seconds(), scope);
      if (seconds > MAX_DELAY_SECONDS) {
        throw StatesException.runtime(TOO_LONG);
      }
      return now + seconds * 1000L;
    }
    long due = timestamp(wait.timestamp(), scope);
    if (due - now > MAX_DELAY_SECONDS * 1000L) {
      throw StatesException.runtime(TOO_LONG);
    }
    return due;
  }

  /**
   * SecondsPath, or a JSONata Seconds (a literal Seconds was checked by the validator): a non-negative
   * integer. AWS tells a SecondsPath value that is no integer at all (a fraction, negative or not) from a
   * negative integer, and names the path and the value.
   */
  private static long seconds(ValueTemplate seconds, EvaluationScope scope) {
    if (seconds instanceof PathValue secondsPath) {
      JsonPathExpression path = secondsPath.path();
      JsonNode value = path.read(scope);
      if (value == null) {
        throw PathFailures.parameterNotInInput("SecondsPath", path);
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong()) {
        throw PathFailures.parameterNotALong("SecondsPath", path, value);
      }
      if (value.longValue() < 0) {
        throw PathFailures.parameterNegative("SecondsPath", path, value);
      }
      return value.longValue();
    }
    JsonNode value = seconds.evaluate(scope, "Seconds");
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
      throw StatesException.queryEvaluation("The Seconds field must be a non-negative integer: " + value, "Seconds");
    }
    return value.longValue();
  }

  /** TimestampPath, a Timestamp literal or a JSONata Timestamp: an RFC 3339 date-time with an offset. */
  private static long timestamp(ValueTemplate timestamp, EvaluationScope scope) {
    if (timestamp instanceof PathValue timestampPath) {
      JsonPathExpression path = timestampPath.path();
      JsonNode value = path.read(scope);
      if (value == null) {
        throw PathFailures.parameterNotInInput("TimestampPath", path);
      }
      Long millis = value.isTextual() ? parseTimestamp(value.textValue()) : null;
      if (millis == null) {
        throw PathFailures.parameterNotATimestamp("TimestampPath", path, value);
      }
      return millis;
    }
    JsonNode value = timestamp.evaluate(scope, "Timestamp");
    String text = value.isTextual() ? value.textValue() : value.toString();
    Long millis = parseTimestamp(text);
    if (millis == null) {
      throw StatesException.queryEvaluation(
          "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: " + text, "Timestamp");
    }
    return millis;
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
