package io.stepstream.gateway.registry;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs registry mutations one after another: each read-decide-write starts when the previous one
 * has finished, so two concurrent requests on this instance (two CreateStateMachine calls with
 * one name) cannot both pass their check. Thread-safe; never blocks the caller.
 *
 * <p>Registry mutations are rare (definitions, tags), so one lane for all of them costs nothing.
 * Across several gateway instances the last write wins; that matches the registry's role as a
 * configuration store, not a ledger.
 */
public final class WriteLane {

  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  /**
   * Queues a mutation.
   *
   * @param mutation started once every earlier mutation has completed (successfully or not);
   *     reads the registry, decides, and returns the future of its write
   * @return the mutation's result
   */
  public synchronized <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> mutation) {
    CompletableFuture<T> result = tail.handle((ignored, error) -> null).thenCompose(ignored -> mutation.get());
    tail = result;
    return result;
  }
}
