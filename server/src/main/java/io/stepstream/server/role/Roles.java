package io.stepstream.server.role;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every role a Stepstream process can run, in start order: the one place where roles are
 * registered. {@code dev} runs all of them; {@code run --roles} a subset, still in this order.
 *
 * <p>The gateway comes last so that the API accepts work only once the roles that do it run.
 */
public final class Roles implements AutoCloseable {

  /** Role name to factory, in start order. */
  public static final Map<String, Function<Platform, Role>> ALL;

  static {
    Map<String, Function<Platform, Role>> roles = new LinkedHashMap<>();
    roles.put("coordinator", CoordinatorRole::new);
    roles.put("worker", WorkerRole::new);
    roles.put("map-runs", MapRunRole::new);
    roles.put("projector", ProjectorRole::new);
    roles.put("gateway", GatewayRole::new);
    ALL = Collections.unmodifiableMap(roles);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Roles.class);

  private final List<Role> started;
  private final LocalServices services;
  private final AutoCloseable observability;

  private Roles(List<Role> started, LocalServices services, AutoCloseable observability) {
    this.started = started;
    this.services = services;
    this.observability = observability;
  }

  /**
   * Starts the named roles in registration order, then marks the platform ready.
   *
   * @param platform what the roles share
   * @param names the roles to run; each must be a key of {@link #ALL}
   * @return the running roles
   * @throws IllegalArgumentException for an unknown role name
   * @throws IllegalStateException if a role fails to start (the ones already started are closed)
   */
  public static Roles start(Platform platform, List<String> names) {
    for (String name : names) {
      if (!ALL.containsKey(name)) {
        throw new IllegalArgumentException("Unknown role '" + name + "'; roles are " + ALL.keySet());
      }
    }
    List<Role> started = new ArrayList<>();
    Roles roles = new Roles(started, platform.services(), platform.observability());
    for (Map.Entry<String, Function<Platform, Role>> entry : ALL.entrySet()) {
      if (!names.contains(entry.getKey())) {
        continue;
      }
      Role role = entry.getValue().apply(platform);
      try {
        role.start();
        started.add(role);
      } catch (Exception e) {
        role.close();
        roles.close();
        throw new IllegalStateException("Role '" + entry.getKey() + "' failed to start", e);
      }
    }
    platform.ready().set(true);
    return roles;
  }

  /** Returns the first running role of a type, for callers that need its details (the gateway's endpoint). */
  public <R extends Role> R find(Class<R> type) {
    return started.stream().filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new IllegalStateException("No running role of type " + type.getSimpleName()));
  }

  /** Closes the running roles in reverse start order, then what they shared; never throws. */
  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("A role failed to close cleanly", e);
      }
    }
    started.clear();
    try {
      services.close();
    } catch (RuntimeException e) {
      LOG.warn("The internal listener failed to close cleanly", e);
    }
    try {
      // Spans and log lines of the last commands are sent before the process goes.
      observability.close();
    } catch (Exception e) {
      LOG.warn("Traces or execution logs failed to close cleanly", e);
    }
  }
}
