package io.stepstream.loadtest.api;

import java.net.URI;

/**
 * Creates the 5-state EXPRESS workflow ({@code HealthRatio}'s) on a server and prints wrk's Lua script
 * for one action that starts it, for {@code loadtest/cpu-per-request.sh}.
 *
 * <p>{@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.WrkScript
 * http://127.0.0.1:8097 StartSyncExecution > request.lua}
 */
public final class WrkScript {

  private WrkScript() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[1].equals("StartSyncExecution") || args[1].equals("StartExecution"))) {
      System.err.println("usage: WrkScript ENDPOINT StartSyncExecution|StartExecution");
      System.exit(2);
    }
    System.out.print(HealthRatio.lua(args[1], HealthRatio.startRequest(URI.create(args[0]))));
  }
}
