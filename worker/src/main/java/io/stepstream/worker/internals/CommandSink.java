package io.stepstream.worker.internals;

import io.stepstream.kafka.CommandPublisher;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.Command;
import io.stepstream.proto.CommandReply;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskHeartbeat;
import io.stepstream.proto.ReportTaskStarted;
import io.stepstream.proto.ReportTaskSucceeded;
import io.stepstream.proto.ReplyTo;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Writes commands to the commands topic of their execution's type (an EXPRESS execution ARN has
 * {@code :express:}), keyed by execution ARN, stamped with the worker's clock. Idempotent producer,
 * acks=all. Thread-safe.
 *
 * <p>A task dispatched with a reply address ({@code DispatchTask.reply_to}: TestState's, which no
 * execution waits for) has its outcome sent to that address on the replies topic instead, and
 * nothing else: no start, no heartbeat, as there is no execution to tell.
 */
public final class CommandSink implements AutoCloseable {

  private final CommandPublisher publisher;
  private final String repliesTopic;
  private final Clock clock;

  /** @param repliesTopic where the outcomes of tasks dispatched with a reply address go */
  public CommandSink(Properties kafka, String standardTopic, String expressTopic, String repliesTopic, Clock clock) {
    this.publisher = new CommandPublisher(kafka, standardTopic, expressTopic, "stepstream-worker-commands");
    this.repliesTopic = repliesTopic;
    this.clock = clock;
  }

  /** Whether an execution ARN names an EXPRESS execution. */
  public static boolean isExpress(String executionArn) {
    return ExecutionArn.isExpress(executionArn);
  }

  /** The worker's clock. */
  public Clock clock() {
    return clock;
  }

  /** Sends a command (stamped now unless it has a time); completes once Kafka acknowledged it. */
  public CompletableFuture<Void> send(Command.Builder command) {
    if (command.getTimeMs() == 0) {
      command.setTimeMs(clock.millis());
    }
    Command built = command.build();
    return publisher.send(built);
  }

  /**
   * Reports a task's outcome to its execution, or to its caller when it has a reply address; a
   * silent outcome sends nothing.
   */
  public CompletableFuture<Void> report(DispatchTask task, Outcome outcome) {
    Command.Builder command = Command.newBuilder().setExecutionArn(task.getExecutionArn());
    switch (outcome) {
      case Outcome.Succeeded succeeded -> command.setReportTaskSucceeded(ReportTaskSucceeded.newBuilder()
          .setTaskToken(task.getTaskToken()).setOutput(succeeded.output()));
      case Outcome.Failed failed -> command.setReportTaskFailed(ReportTaskFailed.newBuilder()
          .setTaskToken(task.getTaskToken()).setError(failed.error()).setCause(failed.cause()));
      case Outcome.Silent silent -> {
        return CompletableFuture.completedFuture(null);
      }
    }
    return task.hasReplyTo() ? reply(task.getReplyTo(), command) : send(command);
  }

  /** A task's report, to the replies partition its caller follows, under the caller's request id. */
  private CompletableFuture<Void> reply(ReplyTo to, Command.Builder report) {
    CommandReply.Builder reply = CommandReply.newBuilder().setRequestId(to.getRequestId())
        .setPartition(to.getPartition()).setExecutionArn(report.getExecutionArn());
    if (report.hasReportTaskSucceeded()) {
      reply.setTaskSucceeded(report.getReportTaskSucceeded());
    } else {
      reply.setTaskFailed(report.getReportTaskFailed());
    }
    return publisher.send(repliesTopic, to.getPartition(), to.getRequestId(), reply.build().toByteArray());
  }

  /**
   * Tells the execution that a worker started the task (its TaskStarted, ActivityStarted or
   * LambdaFunctionStarted event); nothing for a task with a reply address.
   */
  public CompletableFuture<Void> started(DispatchTask task, String workerName) {
    if (task.hasReplyTo()) {
      return CompletableFuture.completedFuture(null);
    }
    return send(Command.newBuilder().setExecutionArn(task.getExecutionArn()).setReportTaskStarted(
        ReportTaskStarted.newBuilder().setTaskToken(task.getTaskToken()).setWorkerName(workerName)));
  }

  /** Sends a heartbeat of a task (none for a task with a reply address). */
  public CompletableFuture<Void> heartbeat(DispatchTask task) {
    if (task.hasReplyTo()) {
      return CompletableFuture.completedFuture(null);
    }
    return send(Command.newBuilder().setExecutionArn(task.getExecutionArn()).setReportTaskHeartbeat(
        ReportTaskHeartbeat.newBuilder().setTaskToken(task.getTaskToken())));
  }

  /** Waits until every command sent so far is acknowledged. */
  public void flush() {
    publisher.flush();
  }

  @Override
  public void close() {
    publisher.close();
  }
}
