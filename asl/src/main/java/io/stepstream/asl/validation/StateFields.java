package io.stepstream.asl.validation;

import java.util.Map;
import java.util.Set;

/**
 * Which fields each state type accepts, and which belong to one query language only. One table, so a
 * field added to the States Language is added here once.
 */
final class StateFields {

  static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");

  /** Fields of every state. */
  private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");

  private static final Map<String, Set<String>> BY_TYPE = Map.of(
      "Pass", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result", "Output",
          "Assign"),
      "Task", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
          "Arguments", "Output", "Assign", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath",
          "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials"),
      "Choice", Set.of("InputPath", "OutputPath", "Output", "Assign", "Choices", "Default"),
      "Wait", Set.of("Next", "End", "InputPath", "OutputPath", "Output", "Assign", "Seconds", "SecondsPath",
          "Timestamp", "TimestampPath"),
      "Succeed", Set.of("InputPath", "OutputPath", "Output"),
      "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
      "Parallel", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
          "Arguments", "Output", "Assign", "Retry", "Catch", "Branches"),
      "Map", Set.of("Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
          "Output", "Assign", "Retry", "Catch", "ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemReader",
          "ItemSelector", "ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath",
          "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount",
          "ToleratedFailureCountPath", "Label"));

  /** Fields that only JSONPath states may use; JSONata states write expressions in the plain field instead. */
  static final Set<String> JSONPATH_ONLY = Set.of("InputPath", "OutputPath", "ResultPath", "Parameters",
      "ResultSelector", "Result", "ItemsPath", "SecondsPath", "TimestampPath", "TimeoutSecondsPath",
      "HeartbeatSecondsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
      "ErrorPath", "CausePath");

  /** Fields that only JSONata states may use. */
  static final Set<String> JSONATA_ONLY = Set.of("Arguments", "Output", "Items");

  /** Top-level fields of a state machine. */
  static final Set<String> MACHINE = Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds",
      "QueryLanguage");

  /** Fields of a Parallel branch. */
  static final Set<String> BRANCH = Set.of("StartAt", "States", "Comment");

  /** Fields of a Map state's ItemProcessor (or its older name, Iterator). */
  static final Set<String> PROCESSOR = Set.of("StartAt", "States", "Comment", "ProcessorConfig");

  private StateFields() {}

  /** True when a state of {@code type} (one of {@link #TYPES}) may have {@code field}. */
  static boolean supports(String type, String field) {
    return COMMON.contains(field) || BY_TYPE.get(type).contains(field);
  }

  /** True for the types that neither transition with Next nor end with End. */
  static boolean isTerminalByType(String type) {
    return type.equals("Succeed") || type.equals("Fail");
  }
}
