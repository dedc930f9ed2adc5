package io.stepstream.loadtest.chaos;

import io.stepstream.loadtest.api.Arguments;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of the fault schedule: at {@code at} after the load began, kill -9 (or start again) the
 * process named {@code target}: {@code broker-N}, {@code instance-N} or {@code worker-N}, numbered
 * from 1.
 *
 * @param at when, from the first StartExecution
 * @param action kill or restart
 * @param target the process's name in the {@link LocalCluster}
 */
public record Fault(Duration at, Action action, String target) {

  private static final Pattern SPEC = Pattern.compile("((?:broker|instance|worker)-\\d+)@(.+)");

  /** What happens to the target. */
  public enum Action {
    /** SIGKILL ({@code kill -9}): no shutdown hook, no leaving the group, no flushing. */
    KILL,
    /** Start the process again with its command, ports and data directory. */
    RESTART
  }

  /**
   * Parses {@code target@time}, e.g. {@code instance-2@15s} or {@code broker-3@1m}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Fault parse(Action action, String spec) {
    Matcher matcher = SPEC.matcher(spec.trim());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("a fault is broker-N@TIME, instance-N@TIME or worker-N@TIME: " + spec);
    }
    return new Fault(Arguments.duration(matcher.group(2)), action, matcher.group(1));
  }

  @Override
  public String toString() {
    return (action == Action.KILL ? "kill -9 " : "restart ") + target + " at +" + at.toMillis() / 1000.0 + " s";
  }
}
