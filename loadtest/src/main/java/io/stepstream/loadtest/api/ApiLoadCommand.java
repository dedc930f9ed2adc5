package io.stepstream.loadtest.api;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator's command, run through {@link io.stepstream.loadtest.LoadTest}: creates a
 * state machine of the 5-state Pass/Choice workflow on a running server, starts executions
 * through the Step Functions API at a target rate (open loop) or as fast as a cap on executions in
 * flight allows ({@code --rate max}), prints progress and a latency summary, then measures the raw
 * Kafka produce rate of the same broker and prints the ratio.
 *
 * <p>Run: {@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.LoadTest --help}.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
    description = "Drives StartSyncExecution (EXPRESS) or StartExecution (STANDARD) against a running Stepstream.")
public final class ApiLoadCommand implements Callable<Integer> {

  /** What is measured. */
  enum Mode {
    /** StartSyncExecution of an EXPRESS state machine; finished when the response arrives. */
    EXPRESS_SYNC("express-sync", "EXPRESS"),
    /** StartExecution of an EXPRESS state machine; finished when its completion is committed. */
    EXPRESS("express", "EXPRESS"),
    /** StartExecution of a STANDARD state machine; finished when its completion is committed. */
    STANDARD("standard", "STANDARD");

    final String option;
    final String type;

    Mode(String option, String type) {
      this.option = option;
      this.type = type;
    }

    static Mode of(String option) {
      for (Mode mode : values()) {
        if (mode.option.equals(option)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("mode must be express-sync, express or standard: " + option);
    }
  }

  @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:8083", description = "API endpoint (default: ${DEFAULT-VALUE}).")
  URI endpoint;

  @Option(names = "--mode", required = true, converter = ModeConverter.class, description = "express-sync, express (StartExecution) or standard.")
  Mode mode;

  @Option(names = "--workflow", defaultValue = "pass-choice", converter = WorkflowConverter.class,
      description = "pass-choice (5 immediate states) or three-tasks (3 Task states served by the greet function of "
          + "`stepstream dev --example-handlers`) (default: ${DEFAULT-VALUE}).")
  LoadWorkflow workflow;

  @Option(names = "--rate", defaultValue = "1000", converter = RateConverter.class,
      description = "Executions started per second, or 'max' (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class,
      description = "Measurement window (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
      description = "Load before the window, not counted (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--connections", defaultValue = "16", description = "HTTP/1.1 keep-alive connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--max-in-flight", defaultValue = "0",
      description = "With --rate max: executions in flight at most (default: the connections for express-sync, 2000 for standard).")
  int maxInFlight;

  @Option(names = "--io-threads", defaultValue = "1", description = "Client event loop threads (default: ${DEFAULT-VALUE}).")
  int ioThreads;

  @Option(names = "--bootstrap-servers", description = "The server's Kafka broker; needed for standard and the baseline.")
  String bootstrapServers;

  @Option(names = "--data-dir", description = "The dev server's data directory: reads <data-dir>/bootstrap.servers.")
  Path dataDir;

  @Option(names = "--completions-topic", defaultValue = "sfn.completions", description = "(default: ${DEFAULT-VALUE}).")
  String completionsTopic;

  @Option(names = "--baseline", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long to measure the raw Kafka produce rate after the load; 0 to skip (default: ${DEFAULT-VALUE}).")
  Duration baseline;

  @Option(names = "--baseline-record-bytes", defaultValue = "200", description = "(default: ${DEFAULT-VALUE}).")
  int baselineRecordBytes;

  @Option(names = "--streams-baseline", defaultValue = "20s", converter = DurationConverter.class,
      description = "How long to measure a bare Kafka Streams exactly-once read-modify-write after the load (after a "
          + "5 s warm-up; standard mode only); 0 to skip (default: ${DEFAULT-VALUE}).")
  Duration streamsBaseline;

  @Option(names = "--baseline-partitions", defaultValue = "2",
      description = "Partitions of the scratch topic; dev mode creates 2 per topic (default: ${DEFAULT-VALUE}).")
  int baselinePartitions;

  @Option(names = "--progress", defaultValue = "5s", converter = DurationConverter.class, description = "(default: ${DEFAULT-VALUE}).")
  Duration progress;

  @Option(names = "--drain", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to wait for executions in flight after the window (default: ${DEFAULT-VALUE}).")
  Duration drain;

  private ApiLoadCommand() {}

  /**
   * Parses the arguments and runs the load generator, printing to standard output.
   *
   * @return the exit code: 0 when the run completed, 1 when it failed, 2 for bad arguments
   */
  public static int run(String... args) {
    return new CommandLine(new ApiLoadCommand()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    String bootstrap = bootstrap();
    if (mode != Mode.EXPRESS_SYNC && bootstrap == null) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          mode.option + " needs --bootstrap-servers or --data-dir to read completions");
    }
    boolean max = Double.isInfinite(rate);
    int cap = maxInFlight > 0 ? maxInFlight : (mode == Mode.EXPRESS_SYNC ? connections : 2000);
    ApiSetup setup = new ApiSetup(endpoint);
    setup.awaitHealthy(Duration.ofSeconds(60));
    String runId = Long.toString(System.currentTimeMillis(), 36);
    String arn = setup.createStateMachine("loadtest-" + mode.option + "-" + runId, mode.type, workflow.definition);
    String title = String.format(Locale.ROOT, "%s @ %s, %d connections%s, %s", mode.option,
        max ? "max" : String.format(Locale.ROOT, "%,.0f/s", rate), connections,
        max ? ", at most " + cap + " in flight" : "", workflow.title);
    System.out.println("state machine " + arn);
    System.out.println(title + ": warmup " + warmup.toSeconds() + " s, window " + duration.toSeconds() + " s");

    LoadDriver driver = new LoadDriver(max ? cap : 0);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long windowStart = start + warmup.toNanos();
    Measurements measurements = new Measurements(windowStart, windowStart + duration.toNanos());
    CompletionTracker completions = mode != Mode.EXPRESS_SYNC
        ? new CompletionTracker(bootstrap, completionsTopic, (due, arrived, succeeded) -> {
          if (succeeded) {
            measurements.succeeded(due, arrived);
          } else {
            measurements.failed(due);
          }
          driver.finished();
        })
        : null;
    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "loadtest-progress");
      thread.setDaemon(true);
      return thread;
    });
    boolean drained;
    try (HttpApiClient client = HttpApiClient.connect(endpoint, connections, ioThreads)) {
      Workload workload = mode == Mode.EXPRESS_SYNC
          ? new Workload.ExpressSync(client, measurements, Workload.ExpressSync.body(arn, workflow.input))
          : new Workload.Started(client, measurements, completions, arn, Workload.Started.escape(workflow.input),
              "r" + runId + "-");
      long period = progress.toNanos();
      printer.scheduleAtFixedRate(() -> printProgress(measurements, driver, start, period), period, period,
          TimeUnit.NANOSECONDS);
      if (max) {
        driver.max(workload, measurements.windowEndNanos());
      } else {
        driver.openLoop(workload, RateSchedule.perSecond(rate), start, warmup.toNanos() + duration.toNanos());
      }
      drained = driver.drain(drain.toNanos());
    } finally {
      printer.shutdownNow();
      if (completions != null) {
        completions.close();
      }
    }
    double windowSeconds = duration.toNanos() / 1e9;
    Histogram latencies = measurements.windowLatencies();
    long unfinished = measurements.windowStarted() - measurements.windowCompleted() - measurements.windowErrors();
    System.out.println();
    System.out.println(Report.summary(title, windowSeconds, measurements.windowCompleted(), measurements.windowErrors(),
        Math.max(0, unfinished), latencies));
    if (workflow.tasks > 0) {
      System.out.println(Report.tasks(Report.perSecond(measurements.windowCompleted(), windowSeconds), workflow.tasks));
    }
    if (!drained) {
      System.out.println("  (" + driver.inFlight() + " executions still in flight after the " + drain.toSeconds()
          + " s drain)");
    }
    if (bootstrap != null && !baseline.isZero()) {
      System.out.println();
      System.out.println("measuring the raw Kafka produce rate on " + bootstrap + " for " + baseline.toSeconds() + " s ...");
      KafkaBaseline.Result result = KafkaBaseline.measure(bootstrap, baselinePartitions, baseline, baselineRecordBytes);
      System.out.println(Report.ratio(Report.perSecond(measurements.windowCompleted(), windowSeconds),
          result.perSecond(), baselineRecordBytes));
      if (result.failed() > 0) {
        System.out.println("  (" + result.failed() + " baseline records failed)");
      }
    }
    if (bootstrap != null && (mode == Mode.STANDARD || workflow.tasks > 0) && !streamsBaseline.isZero()) {
      System.out.println();
      System.out.println("measuring a bare Kafka Streams exactly-once read-modify-write on " + bootstrap + " for "
          + streamsBaseline.toSeconds() + " s ...");
      StreamsBaseline.Result result = StreamsBaseline.measure(bootstrap, baselinePartitions, Duration.ofSeconds(5),
          streamsBaseline, baselineRecordBytes);
      System.out.println(Report.streamsRatio(Report.perSecond(measurements.windowCompleted(), windowSeconds),
          result.perSecond()));
    }
    return 0;
  }

  private static void printProgress(Measurements measurements, LoadDriver driver, long start, long periodNanos) {
    long now = System.nanoTime();
    double elapsed = (now - measurements.windowStartNanos()) / 1e9;
    System.out.println(Report.progress(elapsed, periodNanos / 1e9, measurements.takeIntervalCompleted(),
        measurements.takeIntervalErrors(), driver.inFlight(), measurements.intervalLatencies()));
  }

  private String bootstrap() throws IOException {
    if (bootstrapServers != null) {
      return bootstrapServers;
    }
    if (dataDir != null) {
      return Files.readString(dataDir.resolve("bootstrap.servers")).trim();
    }
    return null;
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Arguments.duration(value);
    }
  }

  static final class RateConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      return Arguments.rate(value);
    }
  }

  static final class WorkflowConverter implements CommandLine.ITypeConverter<LoadWorkflow> {
    @Override
    public LoadWorkflow convert(String value) {
      return LoadWorkflow.of(value);
    }
  }

  static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      return Mode.of(value);
    }
  }
}
