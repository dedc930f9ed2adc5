package io.stepstream.asl.logging;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.proto.HistoryEventType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state machine's {@code loggingConfiguration} as the Step Functions API takes it: which execution
 * history events are logged ({@link Level}), whether their input and output are, and the one
 * destination, a CloudWatch Logs log group ARN.
 *
 * @param level which events are logged
 * @param includeExecutionData whether logged events keep their input and output
 * @param logGroupArn the destination's {@code logGroupArn}, "" when none is given (level OFF)
 */
public record LoggingConfiguration(Level level, boolean includeExecutionData, String logGroupArn) {

  /** Logging off: what a state machine without a configuration has. */
  public static final LoggingConfiguration OFF = new LoggingConfiguration(Level.OFF, false, "");

  /**
   * {@code arn:<partition>:logs:<region>:<account>:log-group:<name>[:*]}; CloudWatch Logs allows
   * letters, digits, '_', '-', '/', '.' and '#' in a log group name, up to 512 of them.
   */
  private static final Pattern LOG_GROUP_ARN =
      Pattern.compile("arn:[a-z-]+:logs:[a-z0-9-]+:\\d{12}:log-group:([A-Za-z0-9_\\-/.#]{1,512})(:\\*)?");

  /** The levels, as AWS defines which event types each one logs. */
  public enum Level {
    /** Every event. */
    ALL,
    /** Events of errors: failures, time-outs and aborts of the execution, its states, tasks and map runs. */
    ERROR,
    /** The execution's own failure, time-out or abort. */
    FATAL,
    /** None. */
    OFF;

    private static final Set<HistoryEventType> FATAL_TYPES = EnumSet.of(HistoryEventType.ExecutionAborted,
        HistoryEventType.ExecutionFailed, HistoryEventType.ExecutionTimedOut);
    private static final Set<HistoryEventType> ERROR_TYPES = EnumSet.of(HistoryEventType.ExecutionAborted,
        HistoryEventType.ExecutionFailed, HistoryEventType.ExecutionTimedOut, HistoryEventType.FailStateEntered,
        HistoryEventType.LambdaFunctionFailed, HistoryEventType.LambdaFunctionScheduleFailed,
        HistoryEventType.LambdaFunctionStartFailed, HistoryEventType.LambdaFunctionTimedOut,
        HistoryEventType.MapStateAborted, HistoryEventType.MapStateFailed, HistoryEventType.MapIterationAborted,
        HistoryEventType.MapIterationFailed, HistoryEventType.MapRunAborted, HistoryEventType.MapRunFailed,
        HistoryEventType.ParallelStateAborted, HistoryEventType.ParallelStateFailed, HistoryEventType.TaskFailed,
        HistoryEventType.TaskStartFailed, HistoryEventType.TaskStateAborted, HistoryEventType.TaskSubmitFailed,
        HistoryEventType.TaskTimedOut, HistoryEventType.WaitStateAborted, HistoryEventType.ActivityFailed,
        HistoryEventType.ActivityScheduleFailed, HistoryEventType.ActivityTimedOut);

    /** Whether an event of this type is logged at this level. */
    public boolean logs(HistoryEventType type) {
      return switch (this) {
        case ALL -> true;
        case ERROR -> ERROR_TYPES.contains(type);
        case FATAL -> FATAL_TYPES.contains(type);
        case OFF -> false;
      };
    }
  }

  /** What is wrong with a requested configuration, as AWS answers it. */
  public record Invalid(String type, String message) {}

  /**
   * Reads a stored configuration (JSON text as the API received it, already {@link #check checked});
   * {@link #OFF} for "" or anything unreadable.
   */
  public static LoggingConfiguration parse(String stored) {
    if (stored == null || stored.isEmpty()) {
      return OFF;
    }
    JsonNode node = Json.parse(stored);
    Level level;
    try {
      level = Level.valueOf(node.path("level").asText("OFF").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      level = Level.OFF;
    }
    return new LoggingConfiguration(level, node.path("includeExecutionData").asBoolean(false), logGroupArn(node));
  }

  /**
   * Checks a requested {@code loggingConfiguration} object as CreateStateMachine and
   * UpdateStateMachine do: a known level, booleans where AWS expects them, and exactly one
   * destination holding a log group ARN whenever the level is not OFF.
   *
   * @return what is wrong, or empty when the configuration is valid
   */
  public static Optional<Invalid> check(JsonNode requested) {
    JsonNode level = requested.get("level");
    if (level != null && !level.isNull()) {
      if (!level.isTextual()) {
        return Optional.of(new Invalid("SerializationException", "STRING_VALUE can not be converted to a String"));
      }
      if (!Set.of("ALL", "ERROR", "FATAL", "OFF").contains(level.textValue())) {
        return Optional.of(new Invalid("ValidationException", "1 validation error detected: Value '"
            + level.textValue() + "' at 'loggingConfiguration.level' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]"));
      }
    }
    JsonNode include = requested.get("includeExecutionData");
    if (include != null && !include.isNull() && !include.isBoolean()) {
      return Optional.of(new Invalid("SerializationException", "NUMBER_VALUE can not be converted to a Boolean"));
    }
    JsonNode destinations = requested.get("destinations");
    if (destinations != null && !destinations.isNull() && !destinations.isArray()) {
      return Optional.of(new Invalid("SerializationException", "Start of structure or map found where not expected."));
    }
    int count = destinations == null || destinations.isNull() ? 0 : destinations.size();
    boolean off = level == null || level.isNull() || "OFF".equals(level.textValue());
    if (count > 1 || !off && count == 0) {
      return Optional.of(new Invalid("InvalidLoggingConfiguration",
          "Invalid Logging Configuration: Must specify exactly one Log Destination."));
    }
    if (count == 1 && logGroupName(logGroupArn(requested)).isEmpty()) {
      return Optional.of(new Invalid("InvalidLoggingConfiguration",
          "Invalid Logging Configuration: Must set valid CloudWatch Log Group ARN."));
    }
    return Optional.empty();
  }

  /** Whether any event is logged. */
  public boolean enabled() {
    return level != Level.OFF && !logGroupArn.isEmpty();
  }

  /** The log group's name ({@code /aws/vendedlogs/states/orders} of its ARN); "" without a destination. */
  public String logGroupName() {
    return logGroupName(logGroupArn).orElse("");
  }

  private static Optional<String> logGroupName(String arn) {
    Matcher matcher = LOG_GROUP_ARN.matcher(arn);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static String logGroupArn(JsonNode configuration) {
    JsonNode arn = configuration.path("destinations").path(0).path("cloudWatchLogsLogGroup").path("logGroupArn");
    return arn.isTextual() ? arn.textValue() : "";
  }
}
