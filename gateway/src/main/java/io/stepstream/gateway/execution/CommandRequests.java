package io.stepstream.gateway.execution;

import io.stepstream.gateway.api.RandomIds;
import io.stepstream.gateway.api.ApiErrors;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.throttle.PendingWrites;
import io.stepstream.gateway.throttle.Throttle;
import io.stepstream.kafka.CommandPublisher;
import io.stepstream.kafka.RecordWaiters;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.MapRunCommand;
import io.stepstream.proto.ReplyTo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The write path of the API: sends a command to the execution's owner and answers with the owner's
 * decision. The command carries a reply address (a partition of the replies topic this gateway
 * follows, and a request id); the coordinator decides (accepts, or refuses with an AWS error) and
 * answers in the transaction that commits the command's events (STANDARD), or the history projector
 * delivers the reply once it holds them (EXPRESS, at least once). Reads wait for the projection to
 * hold what was written before they began, so when a write has answered, every read on any instance
 * sees it; and every check that needs the execution's state (a name already taken, a task token no
 * longer pending) is made by the one writer of that execution: exact under races, across gateways
 * and across restarts.
 *
 * <p>At most {@link PendingWrites#limit()} writes await their answer at once: beyond that a write is
 * refused with {@code ThrottlingException} before anything is sent. When the coordinators lag, answers
 * slow down and writes would otherwise pile up until they time out; refusing at once sheds the load,
 * and a throttling error (rather than 503) makes the SDKs back off longer, and slows the clients of
 * SDKs in adaptive retry mode, which rate-limit themselves on throttling errors only.
 *
 * <p>Thread-safe; never blocks: the answer completes the returned future on the replies reader's thread.
 */
public final class CommandRequests {

  private final CommandPublisher commands;
  private final RecordWaiters<CommandReply> replies;
  private final int partition;
  private final Duration timeout;
  private final PendingWrites pending;

  /**
   * @param commands writes the commands
   * @param replies follows {@code partition} of the replies topic
   * @param partition the replies partition this gateway follows
   * @param timeout how long a caller waits for the owner before getting a retryable error
   * @param pending the bound on writes awaiting their answer
   */
  public CommandRequests(CommandPublisher commands, RecordWaiters<CommandReply> replies, int partition,
      Duration timeout, PendingWrites pending) {
    this.pending = pending;
    this.commands = commands;
    this.replies = replies;
    this.partition = partition;
    this.timeout = timeout;
  }

  /**
   * Sends a command and waits for its owner's decision.
   *
   * @return the accepted reply; fails with the owner's {@link ApiException} when it refused, with
   *     {@code ThrottlingException} (nothing sent) when too many writes await their answer, or with
   *     {@code ServiceUnavailable} (HTTP 503, retried by the SDKs) when no answer came in time; the
   *     command may then still take effect, and a retry of an idempotent request is safe
   */
  public CompletableFuture<CommandReply> send(Command.Builder command) {
    return admitted(() -> {
      String requestId = RandomIds.uuid();
      Command built = command.setReplyTo(ReplyTo.newBuilder().setPartition(partition).setRequestId(requestId)).build();
      return await(requestId, commands.send(built));
    });
  }

  /**
   * Sends a command to a map run's owner (the map-run service) and waits for its decision, which the
   * projection delivers once DescribeMapRun shows it; as {@link #send}.
   *
   * @param topic the map-run commands topic
   */
  public CompletableFuture<CommandReply> sendMapRun(String topic, MapRunCommand.Builder command) {
    return admitted(() -> {
      String requestId = RandomIds.uuid();
      MapRunCommand built = command.setReplyTo(ReplyTo.newBuilder().setPartition(partition).setRequestId(requestId))
          .build();
      return await(requestId, commands.send(topic, built.getMapRunArn(), built.toByteArray()));
    });
  }

  /**
   * Writes records that no owner has to decide on (an EXPRESS execution run to its end by the
   * gateway): the answer is Kafka's acknowledgement. Within the bound on pending writes, as
   * {@link #send}; a write that fails answers {@code ServiceUnavailable} (HTTP 503, retried by the
   * SDKs), and some of its records may then have been written.
   *
   * @param records sends the records; completes once Kafka has acknowledged all of them
   */
  public CompletableFuture<Void> write(Supplier<CompletableFuture<Void>> records) {
    return admitted(records).handle((ignored, error) -> {
      if (error != null) {
        Throwable cause = ApiErrors.cause(error);
        if (cause instanceof ApiException api) {
          throw api;
        }
        throw ApiErrors.unavailable("The execution could not be recorded: " + cause.getMessage());
      }
      return null;
    });
  }

  /**
   * Sends a task to the workers with this gateway's reply address (TestState's task, which no
   * execution waits for) and waits for the report of the worker that ran it. Not a write of an
   * execution: it is outside the bound on pending writes, and its wait is the task's, not the owner's.
   *
   * @param topic the tasks topic; the task is keyed by its execution ARN, as the coordinator keys an execution's
   * @param task the task, with its deadline
   * @param wait how long the caller waits for the report
   * @return the worker's reply; fails with a {@link TimeoutException} when none came within {@code wait},
   *     or with the producer's error when the task was not written
   */
  public CompletableFuture<CommandReply> dispatch(String topic, DispatchTask task, Duration wait) {
    String requestId = RandomIds.uuid();
    DispatchTask built = task.toBuilder().setReplyTo(ReplyTo.newBuilder().setPartition(partition).setRequestId(requestId))
        .build();
    CompletableFuture<CommandReply> reply = replies.await(requestId);
    return commands.send(topic, built.getExecutionArn(), built.toByteArray())
        .thenCompose(ignored -> reply.copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete((answer, error) -> replies.forget(requestId));
  }

  /** Runs a write within the bound on pending writes: its place is given back once it has its answer. */
  private <T> CompletableFuture<T> admitted(Supplier<CompletableFuture<T>> write) {
    if (!pending.tryAcquire()) {
      return CompletableFuture.failedFuture(Throttle.throttlingException());
    }
    CompletableFuture<T> answer;
    try {
      answer = write.get();
    } catch (RuntimeException e) {
      pending.release();
      throw e;
    }
    answer.whenComplete((ignored, error) -> pending.release());
    return answer;
  }

  private CompletableFuture<CommandReply> await(String requestId, CompletableFuture<Void> sent) {
    CompletableFuture<CommandReply> reply = replies.await(requestId);
    return sent
        .thenCompose(ignored -> reply.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .handle((answer, error) -> {
          replies.forget(requestId);
          if (error != null) {
            Throwable cause = ApiErrors.cause(error);
            if (cause instanceof TimeoutException) {
              throw ApiErrors.unavailable("The execution's owner did not answer within " + timeout.toSeconds()
                  + " s (an instance may be down or partitions moving); the request may still take effect");
            }
            throw ApiErrors.unavailable("The request could not be written: " + cause.getMessage());
          }
          if (!answer.getError().isEmpty()) {
            throw new ApiException(answer.getError(), answer.getMessage(),
                "ServiceUnavailable".equals(answer.getError()) ? 503 : 400);
          }
          return answer;
        });
  }
}
