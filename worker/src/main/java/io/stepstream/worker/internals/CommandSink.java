package io.stepstream.worker.internals;

import io.stepstream.kafka.CommandPublisher;
import io.stepstream.kafka.ExecutionArn;
import io.stepstream.proto.Command;
import io.stepstream.proto.DispatchTask;
import io.stepstream.proto.ReportTaskFailed;
import io.stepstream.proto.ReportTaskHeartbeat;
import io.stepstream.proto.ReportTaskStarted;
import io.stepstream.proto.ReportTaskSucceeded;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Writes commands to the commands topic of their execution's type (an EXPRESS execution ARN has
 * {@code :express:}), keyed by execution ARN, stamped with the worker's clock. Idempotent producer,
 * acks=all. Thread-safe.
 */
public final class CommandSink implements AutoCloseable {

  private final CommandPublisher publisher;
  private final Clock clock;

  public CommandSink(Properties kafka, String standardTopic, String expressTopic, Clock clock) {
    this.publisher = new CommandPublisher(kafka, standardTopic, expressTopic, "stepstream-worker-commands");
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

  /** Reports a task's outcome; a silent outcome sends nothing. */
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
    return send(command);
  }

  /** Tells the execution that a worker started the task (its TaskStarted, ActivityStarted or LambdaFunctionStarted event). */
  public CompletableFuture<Void> started(DispatchTask task, String workerName) {
    return send(Command.newBuilder().setExecutionArn(task.getExecutionArn()).setReportTaskStarted(
        ReportTaskStarted.newBuilder().setTaskToken(task.getTaskToken()).setWorkerName(workerName)));
  }

  /** Sends a heartbeat of a task. */
  public CompletableFuture<Void> heartbeat(DispatchTask task) {
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
