package io.stepstream.gateway.activity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.api.Forwarder;
import io.stepstream.kafka.CommandPublisher;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReportTaskStarted;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * GetActivityTask on any gateway: the long poll is served by the one gateway that holds the
 * activity's tasks (see {@link ActivityTaskQueue}), here or elsewhere.
 *
 * <p>A poll runs until a task is handed out or its wait is over. While this gateway holds the
 * activity's partition it waits in the local queue. Otherwise it is forwarded to the holder's
 * internal listener ({@code Internal.GetActivityTask}, found by {@link ActivityTaskHolders}) with a
 * wait of at most {@link #FORWARDED_WAIT}, and forwarded again while time is left: the hop's request
 * timeout (30 s) is longer than any wait sent, so a healthy hop never times out while the holder may
 * still hand it a task, and a 60 s poll survives the hop. The holder hands the task out and writes
 * ReportTaskStarted; the internal action never forwards again. A refusal (no holder named during a
 * rebalance, the partition moved, the holder unreachable or stopping) is a {@code ServiceUnavailable}:
 * the poll asks again where the tasks are after {@link #RETRY_PAUSE}, within its wait. A poll that
 * gets no task answers {@code {}} at the end of its wait, as AWS does (no {@code taskToken}, no
 * {@code input}).
 *
 * <p>The hop adds one place where a task handed out can be lost on its way to the worker (the holder
 * answered and the forwarding gateway died), as the worker's own connection is one; such a task is
 * not handed out again, and its execution goes on when the task's timeout or heartbeat timeout fires,
 * as on AWS. Non-blocking and thread-safe.
 */
public final class ActivityPolls {

  /** The longest wait forwarded to the holder: well under {@link Forwarder}'s 30 s request timeout. */
  static final Duration FORWARDED_WAIT = Duration.ofSeconds(20);
  /** How long a refused poll waits before it asks again where the tasks are. */
  static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final ActivityTaskQueue queue;
  private final ActivityTaskHolders holders;
  private final Forwarder forwarder;
  private final String internalAddress;
  private final CommandPublisher commands;
  private final Clock clock;

  /**
   * @param queue the tasks this gateway holds
   * @param holders where the other partitions are held
   * @param forwarder sends polls to their holder
   * @param internalAddress this gateway's internal address (as {@code holders} names it)
   * @param commands where ReportTaskStarted goes
   * @param clock stamps ReportTaskStarted
   */
  public ActivityPolls(ActivityTaskQueue queue, ActivityTaskHolders holders, Forwarder forwarder,
      String internalAddress, CommandPublisher commands, Clock clock) {
    this.queue = queue;
    this.holders = holders;
    this.forwarder = forwarder;
    this.internalAddress = internalAddress;
    this.commands = commands;
    this.clock = clock;
  }

  /**
   * GetActivityTask's long poll, wherever the activity's tasks are held.
   *
   * @param workerName the poller's worker name, or null
   * @return {@code {taskToken, input}}, or {@code {}} when no task came within {@code wait}
   */
  public CompletableFuture<ObjectNode> poll(String activityArn, String workerName, Duration wait) {
    return poll(activityArn, workerName, System.nanoTime() + wait.toNanos());
  }

  /**
   * {@code Internal.GetActivityTask}: a poll forwarded by a gateway that does not hold the tasks;
   * answered from this gateway's queue only.
   *
   * @param waitMillis how long to wait, at most {@link #FORWARDED_WAIT}
   * @return as {@link #poll}; fails with ServiceUnavailable when the tasks are not (or no longer) held here
   */
  public CompletableFuture<ObjectNode> pollHere(String activityArn, String workerName, long waitMillis) {
    long wait = Math.clamp(waitMillis, 0, FORWARDED_WAIT.toMillis());
    return handOut(activityArn, workerName, Duration.ofMillis(wait));
  }

  private CompletableFuture<ObjectNode> poll(String activityArn, String workerName, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return CompletableFuture.completedFuture(Json.object());
    }
    return Forwarder.answer(() -> attempt(activityArn, workerName, Duration.ofNanos(remaining)))
        .handle((answer, failure) -> {
          if (failure == null) {
            // A task, or the attempt's wait ran out (a forwarded wait is shorter than the poll's).
            return answer.has("taskToken") ? CompletableFuture.completedFuture(answer)
                : poll(activityArn, workerName, deadline);
          }
          if (!refused(failure)) {
            return CompletableFuture.<ObjectNode>failedFuture(failure);
          }
          holders.refresh();
          return CompletableFuture.supplyAsync(() -> poll(activityArn, workerName, deadline),
              CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(Function.identity());
        })
        .thenCompose(Function.identity());
  }

  /** One try: the local queue when the tasks are held here, else one hop to their holder. */
  private CompletableFuture<ObjectNode> attempt(String activityArn, String workerName, Duration wait) {
    if (queue.holds(activityArn)) {
      return handOut(activityArn, workerName, wait);
    }
    int partition = queue.partition(activityArn);
    if (partition < 0) {
      return CompletableFuture.failedFuture(ApiErrors.unavailable("The activity-tasks partitions are not known yet"));
    }
    return holders.holder(partition).thenCompose(holder -> {
      if (holder.isEmpty() || holder.get().equals(internalAddress)) {
        // No holder during a rebalance, or this gateway before its assignment reached its queue.
        return CompletableFuture.failedFuture(
            ApiErrors.unavailable("No gateway holds partition " + partition + " of the activity tasks now"));
      }
      ObjectNode request = Json.object().put("activityArn", activityArn)
          .put("waitMillis", Math.min(wait.toMillis(), FORWARDED_WAIT.toMillis()));
      if (workerName != null) {
        request.put("workerName", workerName);
      }
      return forwarder.call(holder.get(), "GetActivityTask", request);
    });
  }

  /** Takes a task from this gateway's queue and reports it started: the one place a task is handed out. */
  private CompletableFuture<ObjectNode> handOut(String activityArn, String workerName, Duration wait) {
    return queue.poll(activityArn, wait).thenCompose((Optional<DispatchTask> found) -> {
      if (found.isEmpty()) {
        return CompletableFuture.completedFuture(Json.object());
      }
      DispatchTask task = found.get();
      Command started = Command.newBuilder().setTimeMs(clock.millis()).setExecutionArn(task.getExecutionArn())
          .setReportTaskStarted(ReportTaskStarted.newBuilder().setTaskToken(task.getTaskToken())
              .setWorkerName(workerName == null ? "" : workerName)).build();
      return commands.send(started)
          .thenApply(ignored -> Json.object().put("taskToken", task.getTaskToken()).put("input", task.getInput()));
    });
  }

  /** Whether a failure is a refusal to ask again about (ServiceUnavailable), not an answer. */
  private static boolean refused(Throwable failure) {
    Throwable cause = ApiErrors.cause(failure);
    return cause instanceof ApiException api && "ServiceUnavailable".equals(api.type());
  }
}
