package io.stepstream.worker.internals;

import io.stepstream.proto.DispatchTask;
import io.stepstream.worker.TaskContext;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of one task: the {@link TaskContext} handlers see, and its cancellation. */
public final class Invocation implements TaskContext {

  private static final Logger LOG = LoggerFactory.getLogger(Invocation.class);

  private final DispatchTask task;
  private final CommandSink commands;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private volatile boolean abandoned;
  private volatile Thread thread;

  public Invocation(DispatchTask task, CommandSink commands) {
    this.task = task;
    this.commands = commands;
  }

  /** The task being run. */
  public DispatchTask task() {
    return task;
  }

  /** The commands of this worker (resources start and stop nested executions through it). */
  public CommandSink commands() {
    return commands;
  }

  /** Binds the invocation to the thread that runs it, so that cancellation can interrupt it. */
  public void runsOn(Thread runner) {
    this.thread = runner;
    if (cancelled.get()) {
      runner.interrupt();
    }
  }

  /**
   * Cancels the invocation because the worker stops (not because the task ended): it is interrupted
   * like {@link #cancel()}, and what it started keeps going (a {@code .sync} child goes on and
   * reports to its parent without this worker).
   */
  public void abandon() {
    abandoned = true;
    cancel();
  }

  /** Whether the worker stopped under this invocation (see {@link #abandon()}). */
  public boolean isAbandoned() {
    return abandoned;
  }

  /** Cancels the invocation: {@link #isCancelled()} turns true and its thread is interrupted. */
  public void cancel() {
    if (cancelled.compareAndSet(false, true)) {
      Thread runner = thread;
      if (runner != null) {
        runner.interrupt();
      }
    }
  }

  @Override
  public String executionArn() {
    return task.getExecutionArn();
  }

  @Override
  public String stateName() {
    return task.getStateName();
  }

  @Override
  public int attempt() {
    return task.getAttempt();
  }

  @Override
  public String idempotencyKey() {
    return task.getIdempotencyKey();
  }

  @Override
  public String taskToken() {
    return task.getTaskToken();
  }

  @Override
  public String traceparent() {
    return task.getTraceparent();
  }

  @Override
  public void heartbeat() {
    commands.heartbeat(task).whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.warn("A heartbeat of {} was not written", task.getExecutionArn(), error);
      }
    });
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }
}
