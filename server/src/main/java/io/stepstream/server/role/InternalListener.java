package io.stepstream.server.role;

import io.stepstream.gateway.GatewayConfig;
import io.stepstream.gateway.GatewayServer;
import io.stepstream.gateway.api.Action;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.api.ApiErrors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The process's internal listener: one HTTP server on {@code --internal-port} where other instances
 * send what only this one can answer, as {@code Internal.<Action>}. Each role adds its internal
 * actions as it starts and withdraws them as it stops: the projector the reads of the partitions it
 * holds, the gateway the activity polls of the activity-tasks partitions it holds. One listener per
 * process, so an instance has one internal address whatever roles it runs.
 *
 * <p>An action not served here (its role does not run in this process, or is starting or stopping)
 * answers {@code ServiceUnavailable}: the caller asks again where the data is, and never takes the
 * refusal for an answer. The public API port serves no internal action. Thread-safe.
 */
final class InternalListener implements AutoCloseable {

  private final Map<String, Action> actions = new ConcurrentHashMap<>();
  private final GatewayServer server;
  private final String address;

  /**
   * Binds the listener.
   *
   * @param host the address to bind, also the one published to other instances
   * @param port the port, 0 for a free one
   * @param ready answers {@code GET /health}
   */
  InternalListener(String host, int port, BooleanSupplier ready) {
    this.server = GatewayServer.start(GatewayConfig.of(host, port), this::action, ready);
    this.address = host + ":" + server.port();
  }

  /** {@code host:port} where other instances reach this one. */
  String address() {
    return address;
  }

  /**
   * Serves a role's internal actions from now on.
   *
   * @throws IllegalArgumentException if another role serves one of them
   */
  void serve(ActionRegistry table) {
    for (String name : table.names()) {
      if (actions.putIfAbsent(name, table.find(name)) != null) {
        throw new IllegalArgumentException("Internal action served twice: " + name);
      }
    }
  }

  /** Stops serving a role's internal actions; they answer ServiceUnavailable from now on. */
  void withdraw(ActionRegistry table) {
    for (String name : table.names()) {
      actions.remove(name, table.find(name));
    }
  }

  private Action action(String name) {
    Action action = actions.get(name);
    if (action != null) {
      return action;
    }
    return request -> {
      throw ApiErrors.unavailable("This instance does not serve " + name + " now");
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
