package io.stepstream.projector;

import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.ExecutionStartedEventDetails;
import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.WorkflowType;

/**
 * {@code apply(summary, event) -> summary} for what DescribeExecution shows. Only execution-level
 * events change a summary; every other event only advances {@code last_event_id}. A smaller fold
 * than the coordinator's {@code ExecutionStateApplier}: the projector keeps no frames.
 */
public final class SummaryApplier {

  private SummaryApplier() {}

  /**
   * Applies one event. Events at or below the summary's {@code last_event_id} were applied already
   * (a redelivered batch) and leave it unchanged.
   *
   * @param summary the summary so far; the default instance for an execution not seen yet
   * @param executionArn the key of the event's record
   * @param event the event
   * @return the new summary
   */
  public static ExecutionSummary apply(ExecutionSummary summary, String executionArn, HistoryEvent event) {
    if (event.getId() <= summary.getLastEventId()) {
      return summary;
    }
    ExecutionSummary.Builder next = summary.toBuilder().setLastEventId(event.getId());
    if (next.getExecutionArn().isEmpty()) {
      fromArn(next, executionArn, event.getTimestampMs());
    }
    switch (event.getType()) {
      case ExecutionStarted -> started(next, event);
      case ExecutionSucceeded -> stopped(next, event, ExecutionStatus.SUCCEEDED)
          .setOutput(event.getExecutionSucceededEventDetails().getOutput());
      case ExecutionFailed -> stopped(next, event, ExecutionStatus.FAILED)
          .setError(event.getExecutionFailedEventDetails().getError())
          .setCause(event.getExecutionFailedEventDetails().getCause());
      case ExecutionAborted -> stopped(next, event, ExecutionStatus.ABORTED)
          .setError(event.getExecutionAbortedEventDetails().getError())
          .setCause(event.getExecutionAbortedEventDetails().getCause());
      case ExecutionTimedOut -> stopped(next, event, ExecutionStatus.TIMED_OUT)
          .setError(event.getExecutionTimedOutEventDetails().getError())
          .setCause(event.getExecutionTimedOutEventDetails().getCause());
      case ExecutionRedriven -> next.setStatus(ExecutionStatus.RUNNING)
          .setRedriveCount(event.getExecutionRedrivenEventDetails().getRedriveCount())
          .setRedriveTimeMs(event.getTimestampMs()).setStopTimeMs(0).clearOutput().clearError().clearCause();
      default -> {
        // A state-level event: the summary only moves its last_event_id.
      }
    }
    return next.build();
  }

  private static void started(ExecutionSummary.Builder next, HistoryEvent event) {
    ExecutionStartedEventDetails details = event.getExecutionStartedEventDetails();
    next.setName(details.getName()).setStateMachineArn(details.getStateMachineArn())
        .setStateMachineRevision(details.getStateMachineRevision()).setType(details.getType())
        .setStatus(ExecutionStatus.RUNNING).setStartTimeMs(event.getTimestampMs()).setInput(details.getInput())
        .setRoleArn(details.getRoleArn()).setStateMachineVersionArn(details.getStateMachineVersionArn())
        .setStateMachineAliasArn(details.getStateMachineAliasArn()).setStartedLogged(true)
        .setMapRunArn(details.getMapRunArn());
  }

  private static ExecutionSummary.Builder stopped(ExecutionSummary.Builder next, HistoryEvent event,
      ExecutionStatus status) {
    return next.setStatus(status).setStopTimeMs(event.getTimestampMs());
  }

  /**
   * What the ARN tells when the start was not logged (filtered EXPRESS levels):
   * {@code arn:aws:states:<region>:<account>:express:<machine>:<name>:<id>} or
   * {@code ...:execution:<machine>:<name>}.
   */
  private static void fromArn(ExecutionSummary.Builder next, String executionArn, long firstSeenMs) {
    next.setExecutionArn(executionArn).setStatus(ExecutionStatus.RUNNING).setStartTimeMs(firstSeenMs);
    ExecutionArn.parse(executionArn).ifPresent(arn -> next.setName(arn.name())
        .setType(arn.express() ? WorkflowType.EXPRESS : WorkflowType.STANDARD)
        .setStateMachineArn(arn.stateMachineArn()));
  }
}
