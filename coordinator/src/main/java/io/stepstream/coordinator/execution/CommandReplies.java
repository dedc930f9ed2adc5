package io.stepstream.coordinator.execution;

import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.ExecutionState;
import io.stepstream.proto.ExecutionStatus;

/**
 * The answer an API caller gets for a command it waits on ({@code Command.reply_to}), decided by the
 * coordinator, the execution's single writer: whether the command was accepted, and the date the
 * API answers with. Pure functions of the command and the execution's state before and after it.
 */
final class CommandReplies {

  private CommandReplies() {}

  /** The command was accepted (with or without new events). */
  static CommandReply accepted(Command command, ExecutionState before, ExecutionState after) {
    return base(command).setDateMs(date(command, before, after)).build();
  }

  /** The command was refused with an AWS error; nothing changed. */
  static CommandReply refused(Command command, String error, String message) {
    return base(command).setError(error).setMessage(message).build();
  }

  /** The refusal of a command for an execution this coordinator has never seen. */
  static CommandReply unknownExecution(Command command) {
    return switch (command.getKindCase()) {
      case REPORT_TASK_SUCCEEDED, REPORT_TASK_FAILED, REPORT_TASK_HEARTBEAT, REPORT_TASK_STARTED ->
          refused(command, "TaskDoesNotExist", "Task does not exist anymore");
      default -> refused(command, "ExecutionDoesNotExist",
          "Execution Does Not Exist: '" + command.getExecutionArn() + "'");
    };
  }

  private static long date(Command command, ExecutionState before, ExecutionState after) {
    boolean existed = before.getStatus() != ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED;
    return switch (command.getKindCase()) {
      // An idempotent repeat of a start answers with the original start.
      case START_EXECUTION -> existed ? before.getStartTimeMs() : command.getTimeMs();
      // Stopping a stopped execution answers with when it stopped.
      case STOP_EXECUTION -> before.getStatus() == ExecutionStatus.RUNNING ? command.getTimeMs()
          : before.getStopTimeMs();
      case REDRIVE_EXECUTION -> after.getRedriveTimeMs() > 0 ? after.getRedriveTimeMs() : command.getTimeMs();
      default -> 0;
    };
  }

  private static CommandReply.Builder base(Command command) {
    return CommandReply.newBuilder().setRequestId(command.getReplyTo().getRequestId())
        .setPartition(command.getReplyTo().getPartition()).setExecutionArn(command.getExecutionArn())
        .setCommandTimeMs(command.getTimeMs());
  }
}
