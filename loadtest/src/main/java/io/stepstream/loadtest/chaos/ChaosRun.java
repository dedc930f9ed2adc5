package io.stepstream.loadtest.chaos;

import io.stepstream.loadtest.api.Arguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chaos harness's command line: {@code loadtest/run-chaos.sh [options]}, or
 * {@code java -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.chaos.ChaosRun --help}.
 * Prints progress while it runs and the report at the end; exits 0 when the run passes, 1 when it
 * does not, 2 for bad arguments.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Starts a multi-broker KRaft cluster and Stepstream instances as processes, runs named STANDARD "
        + "executions through them while kill -9 hits brokers, instances and workers on a schedule, and reports "
        + "started, lost, duplicated, false not-found, side effects per idempotency key and time to recover.")
public final class ChaosRun implements Callable<Integer> {

  @Option(names = "--executions", defaultValue = "300", description = "Named executions to start (default: ${DEFAULT-VALUE}).")
  int executions;

  @Option(names = "--rate", defaultValue = "3",
      description = "Starts per second, open loop; keep it to what the cluster sustains without faults (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--wait", defaultValue = "5-25",
      description = "Seconds each execution's Wait state lasts, MIN-MAX, drawn per execution (default: ${DEFAULT-VALUE}).")
  String waitRange;

  @Option(names = "--brokers", defaultValue = "3", description = "KRaft brokers (default: ${DEFAULT-VALUE}).")
  int brokers;

  @Option(names = "--instances", defaultValue = "2",
      description = "Stepstream instances with every role; starts and reads go through their gateways (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(names = "--workers", defaultValue = "0",
      description = "Extra instances with the worker role only, worker-1.. (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--partitions", defaultValue = "6", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--kill", split = ",", defaultValue = "instance-2@60s,broker-3@75s",
      description = "kill -9 TARGET@TIME from the first start; TARGET is broker-N, instance-N or worker-N "
          + "(default: ${DEFAULT-VALUE}, while starts go on until +100 s; 'none' for no kills).")
  List<String> kills;

  @Option(names = "--restart", split = ",", description = "Start TARGET@TIME again (same ports and data).")
  List<String> restarts;

  @Option(names = "--recovery-bound", defaultValue = "90s",
      description = "Every execution must have ended this long after the last kill (default: ${DEFAULT-VALUE}).")
  String recoveryBound;

  @Option(names = "--deadline", defaultValue = "5m",
      description = "How long after the last start and fault to wait for executions to end (default: ${DEFAULT-VALUE}).")
  String deadline;

  @Option(names = "--seed", defaultValue = "12", description = "Seeds the Wait durations (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--work-dir", description = "Broker data, instance state and logs (default: a new /tmp/stepstream-chaos.* directory).")
  Path workDir;

  @Option(names = "--classpath", defaultValue = "server/target/stepstream.jar",
      description = "Class path of the brokers and instances: Stepstream's fat jar (default: ${DEFAULT-VALUE}).")
  String classPath;

  @Option(names = "--java", description = "The java executable of the processes (default: this JVM's).")
  String java;

  private ChaosRun() {}

  /** Runs the harness and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new ChaosRun()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String[] waits = waitRange.split("-", 2);
    List<Fault> faults = new ArrayList<>();
    for (String kill : kills) {
      if (!kill.isBlank() && !kill.equals("none")) {
        faults.add(Fault.parse(Fault.Action.KILL, kill));
      }
    }
    for (String restart : restarts == null ? List.<String>of() : restarts) {
      faults.add(Fault.parse(Fault.Action.RESTART, restart));
    }
    Path dir = workDir != null ? workDir : Files.createTempDirectory("stepstream-chaos.");
    String javaCommand = java != null ? java : ProcessHandle.current().info().command().orElse("java");
    ChaosSettings settings = new ChaosSettings(executions, rate, Integer.parseInt(waits[0].trim()),
        Integer.parseInt(waits[waits.length - 1].trim()), brokers, instances, workers, partitions, faults,
        Arguments.duration(recoveryBound), Arguments.duration(deadline), seed, dir,
        new ChaosSettings.Launcher(javaCommand, classPath, List.of()));
    // Ctrl-C runs no finally blocks: kill the brokers and instances this JVM started on the way out.
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    ChaosReport report = Chaos.run(settings, System.out);
    System.out.println();
    System.out.print(report.format());
    return report.failures().isEmpty() ? 0 : 1;
  }
}
