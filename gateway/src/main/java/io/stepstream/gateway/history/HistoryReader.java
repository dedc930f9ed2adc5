package io.stepstream.gateway.history;

import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import java.util.List;
import java.util.Optional;

/**
 * The history projector as the gateway sees it: which instance holds an execution, and reads over
 * what this instance holds. Implementations are thread-safe and never block on the network (local
 * store reads only); reaching other instances is the gateway's job ({@link io.stepstream.gateway.api.Forwarder}).
 */
public interface HistoryReader {

  /** The host:port of the instance holding the execution when it is another one; empty when local or unknown. */
  Optional<String> remoteOwner(String executionArn);

  /** The host:port of every other projector instance, for reads that span all executions. */
  List<String> otherInstances();

  /** The execution's summary held here, or empty. */
  Optional<ExecutionSummary> summary(String executionArn);

  /**
   * A page of the execution's AWS-visible events held here.
   *
   * @param after the id of the last event of the previous page (exclusive), 0 for the first page
   * @param limit at most this many events
   * @param reverse newest first
   */
  List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse);

  /**
   * Up to {@code limit} executions of a state machine held here, newest first (start time
   * descending, then ARN), after the given one.
   *
   * @param status only this status, or null for all
   * @param afterStartMs start of the last execution of the previous page (ignored without {@code afterArn})
   * @param afterArn ARN of the last execution of the previous page, or null for the first page
   */
  List<ExecutionSummary> executions(String stateMachineArn, ExecutionStatus status, long afterStartMs,
      String afterArn, int limit);
}
