package io.stepstream.gateway.execution;

import io.stepstream.proto.Command;
import java.util.concurrent.CompletableFuture;

/** Sends commands to the coordinator's commands topics. Thread-safe; never blocks the caller. */
public interface CommandPublisher extends AutoCloseable {

  /**
   * Sends a command keyed by its execution ARN.
   *
   * @param express true for the EXPRESS commands topic, false for STANDARD
   * @return completes once the command is durable on Kafka (on a client thread)
   */
  CompletableFuture<Void> send(boolean express, Command command);

  @Override
  void close();
}
