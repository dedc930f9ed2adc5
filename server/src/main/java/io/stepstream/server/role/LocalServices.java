package io.stepstream.server.role;

import io.stepstream.gateway.history.HistoryReader;
import io.stepstream.gateway.history.HistoryRoutes;
import io.stepstream.kafka.TransactionFencer;
import io.stepstream.worker.TaskHandlers;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What roles of one process offer each other: the projector publishes how to read the histories it
 * holds; the gateway, started after it, reads through it, and routes reads through other instances'
 * directory when the process runs no projector. Both serve their internal actions on the one
 * internal listener of the process.
 */
public final class LocalServices implements AutoCloseable {

  private final AtomicReference<TaskHandlers> handlers = new AtomicReference<>(TaskHandlers.none());
  private final AtomicReference<Projection> projection = new AtomicReference<>();
  private InternalListener internal;
  private TransactionFencer fencer;

  /** The local projection: where its partitions are, and reads over those held here. */
  public record Projection(HistoryRoutes routes, HistoryReader reader) {}

  /** Sets the task handlers the worker role runs; call before the roles start. */
  public void useHandlers(TaskHandlers taskHandlers) {
    handlers.set(Objects.requireNonNull(taskHandlers));
  }

  /** The task handlers the worker role runs (none unless set). */
  public TaskHandlers handlers() {
    return handlers.get();
  }

  public void publishProjection(Projection local) {
    projection.set(local);
  }

  /** The projection of this process's projector, or null when the process runs no projector. */
  public Projection projection() {
    return projection.get();
  }

  /** The process's internal listener, bound on {@code platform}'s host and internal port on first use. */
  synchronized InternalListener internalListener(Platform platform) {
    if (internal == null) {
      internal = new InternalListener(platform.host(), platform.internalPort(), platform.ready()::get);
    }
    return internal;
  }

  /**
   * The process's transaction fencer (see {@link TransactionFencer}), started on first use: each role
   * running an exactly-once Kafka Streams application has it watch that application's group.
   */
  public synchronized TransactionFencer fencer(Platform platform) {
    if (fencer == null) {
      fencer = TransactionFencer.start(platform.kafkaProperties());
    }
    return fencer;
  }

  /** Closes the internal listener and the fencer, once every role has stopped. */
  @Override
  public synchronized void close() {
    if (fencer != null) {
      fencer.close();
      fencer = null;
    }
    if (internal != null) {
      internal.close();
      internal = null;
    }
  }
}
