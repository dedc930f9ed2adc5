package io.stepstream.gateway.history;

import io.stepstream.proto.ExecutionStatus;
import io.stepstream.proto.ExecutionSummary;
import io.stepstream.proto.HistoryEvent;
import io.stepstream.proto.MapRunSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Reads over the history projection held by this process. An execution is read only from the
 * active task of its partition: when that task is not here (it moved, it is restoring) a read throws
 * {@code ServiceUnavailable} (503) rather than answer "absent". Thread-safe; never blocks on the
 * network (local store reads only; the wait for the projection to catch up is a future).
 */
public interface HistoryReader {

  /**
   * Completes once this process's projection of the execution's partition holds every event written
   * there before the call; a read of the execution waits for it, so that it sees every write that
   * answered before it began. Fails with {@code ServiceUnavailable} when that takes too long.
   */
  CompletableFuture<Void> caughtUp(String executionArn);

  /** As {@link #caughtUp}, for every partition active here: listings and map runs wait for it. */
  CompletableFuture<Void> caughtUpActive();

  /** The execution's summary, or empty when it does not exist. */
  Optional<ExecutionSummary> summary(String executionArn);

  /**
   * A page of the execution's AWS-visible events.
   *
   * @param after the id of the last event of the previous page (exclusive), 0 for the first page
   * @param limit at most this many events
   * @param reverse newest first
   */
  List<HistoryEvent> events(String executionArn, long after, int limit, boolean reverse);

  /**
   * Up to {@code limit} executions of a state machine over the partitions active here, newest first
   * (start time descending, then ARN), after the given one.
   *
   * @param status only this status, or null for all
   * @param redriven only executions redriven (true) or never redriven (false), or null for all
   * @param afterStartMs start of the last execution of the previous page (ignored without {@code afterArn})
   * @param afterArn ARN of the last execution of the previous page, or null for the first page
   */
  Share executions(String stateMachineArn, ExecutionStatus status, Boolean redriven, long afterStartMs, String afterArn,
      int limit);

  /** What the partitions active here know of a map run (which may live in any partition). */
  MapRunShare mapRun(String mapRunArn);

  /** The map runs an execution started, oldest first, from the execution's partition. */
  List<MapRunSnapshot> mapRuns(String executionArn);

  /**
   * A map run as this instance's partitions hold it.
   *
   * @param partitions the partitions searched
   */
  record MapRunShare(Optional<MapRunSnapshot> run, Set<Integer> partitions) {}

  /**
   * This instance's share of a listing page.
   *
   * @param executions newest first
   * @param partitions the partitions it covers
   */
  record Share(List<ExecutionSummary> executions, Set<Integer> partitions) {}
}
