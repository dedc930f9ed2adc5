package io.stepstream.loadtest.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One build's server CPU time per request for one start action, for comparing builds on a machine
 * whose speed moves: creates {@link HealthRatio}'s 5-state EXPRESS workflow, drives the action with wrk
 * for a warm-up, then measures ROUNDS runs, each followed by a {@code GET /health} run, as
 * {@link HealthRatio} measures its runs. {@code loadtest/cpu-per-request.sh} starts the server for it.
 *
 * <p>{@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.CpuPerRequest
 * http://127.0.0.1:8097 StartSyncExecution|StartExecution WARMUP_SECONDS SECONDS ROUNDS}
 */
public final class CpuPerRequest {

  private CpuPerRequest() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5 || !(args[1].equals("StartSyncExecution") || args[1].equals("StartExecution"))) {
      System.err.println("usage: CpuPerRequest ENDPOINT StartSyncExecution|StartExecution WARMUP_SECONDS SECONDS ROUNDS");
      System.exit(2);
    }
    URI endpoint = URI.create(args[0]);
    String action = args[1];
    int warmup = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    ObjectNode body = HealthRatio.startRequest(endpoint);
    Path script = HealthRatio.script(action, body);
    try {
      System.out.printf("warm-up: %d s of %s%n", warmup, action);
      HealthRatio.wrk(endpoint + "/", script, HealthRatio.CONNECTIONS, warmup);
      for (int round = 0; round < rounds; round++) {
        HealthRatio.print(action, HealthRatio.measured(endpoint, "/", script, HealthRatio.CONNECTIONS, seconds));
        HealthRatio.print("GET /health", HealthRatio.measured(endpoint, "/health", null, HealthRatio.CONNECTIONS,
            seconds));
      }
    } finally {
      Files.deleteIfExists(script);
    }
  }
}
