package io.stepstream.loadtest.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.loadtest.Workflows;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * StartSyncExecution and asynchronous EXPRESS StartExecution against {@code GET /health} on the same
 * server, under the same wrk load, in one run: the ratios issue 14 asks for. wrk (Debian's package)
 * drives all three; this class creates the 5-state EXPRESS workflow
 * ({@link Workflows#PASS_CHOICE_JSONPATH}), writes wrk's Lua scripts for the requests, warms up, and
 * prints the rates, the errors and the ratios. wrk counts accepted starts; that every accepted
 * execution also completes is {@code LoadTest --mode express}'s to check.
 *
 * <p>{@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.HealthRatio
 * http://127.0.0.1:8083 [connections] [seconds]}
 */
public final class HealthRatio {

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: (.*)");
  private static final Pattern LATENCY = Pattern.compile("\\s+(50|90|99)%\\s+(\\S+)");

  private HealthRatio() {}

  /** One wrk run's figures. */
  record Run(double rate, long non2xx, String socketErrors, String p50, String p90, String p99) {}

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8083");
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    ApiSetup setup = new ApiSetup(endpoint);
    setup.awaitHealthy(java.time.Duration.ofMinutes(2));
    Workflows workflow = Workflows.PASS_CHOICE_JSONPATH;
    String arn = setup.createStateMachine("health-ratio-" + System.currentTimeMillis(), "EXPRESS",
        workflow.definition());
    ObjectNode body = Json.object().put("stateMachineArn", arn).put("input", workflow.input());
    Path sync = script("StartSyncExecution", body);
    Path async = script("StartExecution", body);

    System.out.println("warm-up: 10 s of each");
    wrk(endpoint + "/health", null, connections, 10);
    wrk(endpoint + "/", sync, connections, 10);
    wrk(endpoint + "/", async, connections, 10);
    Run health = wrk(endpoint + "/health", null, connections, seconds);
    Run syncRun = wrk(endpoint + "/", sync, connections, seconds);
    Run asyncRun = wrk(endpoint + "/", async, connections, seconds);
    print("GET /health", health);
    print("StartSyncExecution", syncRun);
    print("StartExecution", asyncRun);
    System.out.printf("ratio StartSyncExecution / health: %.2f, StartExecution (EXPRESS) / health: %.2f"
        + " (%d connections, %d s each)%n", syncRun.rate() / health.rate(), asyncRun.rate() / health.rate(),
        connections, seconds);
    Files.deleteIfExists(sync);
    Files.deleteIfExists(async);
  }

  /** wrk's Lua script for one API call with this body (every request is the same). */
  private static Path script(String action, ObjectNode body) throws IOException {
    Path script = Files.createTempFile(action, ".lua");
    Files.writeString(script, """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
        wrk.headers["X-Amz-Target"] = "AWSStepFunctions.%s"
        wrk.body = %s
        """.formatted(action, Json.write(Json.NODES.textNode(Json.write(body)))), StandardCharsets.UTF_8);
    return script;
  }

  private static void print(String what, Run run) {
    System.out.printf("%-20s %,10.1f/s  p50 %s p90 %s p99 %s  non-2xx %d  socket errors %s%n", what + ":",
        run.rate(), run.p50(), run.p90(), run.p99(), run.non2xx(), run.socketErrors());
  }

  private static Run wrk(String url, Path script, int connections, int seconds) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s",
        "--latency"));
    if (script != null) {
      command.add("-s");
      command.add(script.toString());
    }
    command.add(url);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    Matcher rate = RATE.matcher(output);
    if (!rate.find()) {
      throw new IllegalStateException("no rate in wrk's output:\n" + output);
    }
    Matcher non2xx = NON_2XX.matcher(output);
    Matcher socket = SOCKET_ERRORS.matcher(output);
    String[] latency = new String[3];
    Matcher percentile = LATENCY.matcher(output);
    while (percentile.find()) {
      latency[switch (percentile.group(1)) { case "50" -> 0; case "90" -> 1; default -> 2; }] = percentile.group(2);
    }
    return new Run(Double.parseDouble(rate.group(1)), non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0,
        socket.find() ? socket.group(1) : "none", latency[0], latency[1], latency[2]);
  }
}
