package io.stepstream.server.role;

/**
 * One role of a Stepstream process (gateway, coordinator, worker, ...): something that starts,
 * runs in the background, and closes.
 *
 * <p>{@link #start()} is called once, on the main thread, after every role listed before it in
 * {@link Roles} has started; it blocks until the role does its job (a server bound, a Streams
 * application RUNNING). {@link #close()} is called once, in reverse start order, also when a
 * later role failed to start; it blocks until the role has stopped and must not throw.
 */
public interface Role extends AutoCloseable {

  /** Starts the role; throws if it cannot. */
  void start() throws Exception;

  /** Stops the role and releases its resources. */
  @Override
  void close();
}
