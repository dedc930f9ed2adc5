package io.stepstream.loadtest.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.loadtest.Workflows;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * <p>It also prints what one request cost in CPU time: the server's (its {@code process_cpu_time_ns_total}
 * metric before and after each run) and wrk's (this process's reaped children's time, from
 * {@code /proc/self/stat}). Rates on a shared machine move with everything else running on it; CPU time
 * per request moves much less, and it says what a ratio needs: the last line gives the most a
 * StartSyncExecution may cost the server for a ratio of 0.5, with wrk's costs as measured.
 *
 * <p>{@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.HealthRatio
 * http://127.0.0.1:8083 [connections] [seconds]}
 */
public final class HealthRatio {

  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: (.*)");
  private static final Pattern LATENCY = Pattern.compile("\\s+(50|90|99)%\\s+(\\S+)");
  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern SERVER_CPU = Pattern.compile("(?m)^process_cpu_time_ns_total (\\S+)$");
  /** Clock ticks per second in /proc/self/stat: USER_HZ, 100 on every Linux this runs on. */
  private static final double TICK_NANOS = 1e9 / 100;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** wrk's connections when none are given: the measurement. */
  static final int CONNECTIONS = 64;

  private HealthRatio() {}

  /**
   * One wrk run's figures.
   *
   * @param requests the requests wrk completed
   * @param serverMicros the server's CPU time per request, NaN when its metrics do not say (or not measured)
   * @param wrkMicros wrk's CPU time per request, NaN without /proc (or not measured)
   */
  record Run(double rate, long requests, long non2xx, String socketErrors, String p50, String p90, String p99,
      double serverMicros, double wrkMicros) {

    Run withCpu(double serverNanos, double wrkNanos) {
      return new Run(rate, requests, non2xx, socketErrors, p50, p90, p99, serverNanos / 1000 / requests,
          wrkNanos / 1000 / requests);
    }
  }

  public static void main(String[] args) throws Exception {
    URI endpoint = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8083");
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : CONNECTIONS;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    ObjectNode body = startRequest(endpoint);
    Path sync = script("StartSyncExecution", body);
    Path async = script("StartExecution", body);

    System.out.println("warm-up: 10 s of each");
    wrk(endpoint + "/health", null, connections, 10);
    wrk(endpoint + "/", sync, connections, 10);
    wrk(endpoint + "/", async, connections, 10);
    Run health = measured(endpoint, "/health", null, connections, seconds);
    Run syncRun = measured(endpoint, "/", sync, connections, seconds);
    Run asyncRun = measured(endpoint, "/", async, connections, seconds);
    print("GET /health", health);
    print("StartSyncExecution", syncRun);
    print("StartExecution", asyncRun);
    System.out.printf("ratio StartSyncExecution / health: %.2f, StartExecution (EXPRESS) / health: %.2f"
        + " (%d connections, %d s each)%n", syncRun.rate() / health.rate(), asyncRun.rate() / health.rate(),
        connections, seconds);
    // When the machine's CPU is what bounds both runs, rates are in inverse proportion to the CPU time
    // a request costs everything on it (server and wrk): a ratio of 0.5 needs a sync request to cost
    // at most twice what a /health request costs.
    double budget = 2 * (health.serverMicros() + health.wrkMicros()) - syncRun.wrkMicros();
    System.out.printf("CPU per request (server + wrk): /health %.1f + %.1f us, StartSyncExecution %.1f + %.1f us;"
        + " a ratio of 0.5 needs StartSyncExecution at <= %.1f us of server CPU%n", health.serverMicros(),
        health.wrkMicros(), syncRun.serverMicros(), syncRun.wrkMicros(), budget);
    Files.deleteIfExists(sync);
    Files.deleteIfExists(async);
  }

  /**
   * Waits for the server, creates the 5-state EXPRESS workflow on it, and returns the body of a request
   * that starts it.
   */
  static ObjectNode startRequest(URI endpoint) throws IOException, InterruptedException {
    ApiSetup setup = new ApiSetup(endpoint);
    setup.awaitHealthy(Duration.ofMinutes(2));
    Workflows workflow = Workflows.PASS_CHOICE_JSONPATH;
    String arn = setup.createStateMachine("health-ratio-" + System.currentTimeMillis(), "EXPRESS",
        workflow.definition());
    return Json.object().put("stateMachineArn", arn).put("input", workflow.input());
  }

  /** wrk's Lua script for one API call with this body (every request is the same), in a temporary file. */
  static Path script(String action, ObjectNode body) throws IOException {
    Path script = Files.createTempFile(action, ".lua");
    Files.writeString(script, """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
        wrk.headers["X-Amz-Target"] = "AWSStepFunctions.%s"
        wrk.body = %s
        """.formatted(action, Json.write(Json.NODES.textNode(Json.write(body)))), StandardCharsets.UTF_8);
    return script;
  }

  static void print(String what, Run run) {
    System.out.printf("%-20s %,10.1f/s  p50 %s p90 %s p99 %s  non-2xx %d  socket errors %s"
        + "  CPU/request: server %.1f us, wrk %.1f us%n", what + ":", run.rate(), run.p50(), run.p90(), run.p99(),
        run.non2xx(), run.socketErrors(), run.serverMicros(), run.wrkMicros());
  }

  /** A wrk run with the CPU time the server and wrk spent on it, per request. */
  static Run measured(URI endpoint, String path, Path script, int connections, int seconds)
      throws IOException, InterruptedException {
    double serverBefore = serverCpuNanos(endpoint);
    double wrkBefore = childrenCpuNanos();
    Run run = wrk(endpoint + path, script, connections, seconds);
    double serverAfter = serverCpuNanos(endpoint);
    double wrkAfter = childrenCpuNanos();
    return run.withCpu(serverAfter - serverBefore, wrkAfter - wrkBefore);
  }

  /** The server's CPU time so far (its Prometheus metric), NaN when it does not publish it. */
  private static double serverCpuNanos(URI endpoint) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher cpu = SERVER_CPU.matcher(response.body());
    return response.statusCode() == 200 && cpu.find() ? Double.parseDouble(cpu.group(1)) : Double.NaN;
  }

  /** The CPU time of this process's finished children (the wrk runs), NaN without /proc. */
  private static double childrenCpuNanos() throws IOException {
    Path stat = Path.of("/proc/self/stat");
    if (!Files.exists(stat)) {
      return Double.NaN;
    }
    String text = Files.readString(stat);
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3])) * TICK_NANOS;
  }

  static Run wrk(String url, Path script, int connections, int seconds) throws IOException,
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
    Matcher requests = REQUESTS.matcher(output);
    if (!requests.find()) {
      throw new IllegalStateException("no request count in wrk's output:\n" + output);
    }
    return new Run(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(1)),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socket.find() ? socket.group(1) : "none", latency[0],
        latency[1], latency[2], Double.NaN, Double.NaN);
  }
}
