package io.stepstream.loadtest.chaos;

import io.stepstream.loadtest.chaos.ChaosReport.FaultRecord;
import io.stepstream.loadtest.chaos.HistoryAudit.History;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * One chaos run: starts the {@link LocalCluster} and the {@link SideEffectSink}, creates the
 * {@link ChaosWorkflow}'s state machine, starts the executions ({@link Starter}) while the
 * {@link ReadProber} describes them and the fault schedule kills processes, waits until every
 * started execution has ended (or the deadline passed), audits ({@link FinalAudit}) and stops
 * everything it started.
 */
public final class Chaos {

  private static final long PROGRESS_MS = 5_000;
  /** Names of the warm-up executions begin with this; their side effects are not counted. */
  private static final String WARM_UP = "warmup-";

  private final ChaosSettings settings;
  private final PrintStream out;
  /** A fault as done, with the reads' recovery window it opened. */
  private record Done(Fault fault, long atMs, long pid, String error, ReadProber.Window window) {}

  private final List<Done> done = new CopyOnWriteArrayList<>();
  private long originMs;

  private Chaos(ChaosSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Runs the settings' scenario, printing progress to {@code out}, and returns the report (which it
   * does not print). Every process it started is killed before it returns or throws.
   */
  public static ChaosReport run(ChaosSettings settings, PrintStream out) throws Exception {
    return new Chaos(settings, out).run();
  }

  private ChaosReport run() throws Exception {
    Files.createDirectories(settings.workDir());
    out.println("chaos run in " + settings.workDir() + " (logs in " + settings.workDir().resolve("logs") + ")");
    try (SideEffectSink sink = SideEffectSink.start(); LocalCluster cluster = LocalCluster.start(settings, out)) {
      List<String> endpoints = cluster.gateways();
      List<String> names = IntStream.range(0, endpoints.size()).mapToObj(cluster::gatewayName).toList();
      String runId = Long.toString(System.currentTimeMillis(), 36);
      String machine;
      try (SfnClient setup = SfnClients.withRetries(endpoints.getFirst())) {
        machine = setup.createStateMachine(b -> b.name("chaos-" + runId).roleArn(SfnClients.ROLE)
            .type(StateMachineType.STANDARD).definition(ChaosWorkflow.definition(sink.endpoint()))).stateMachineArn();
      }
      warmUp(endpoints, names, machine, runId);
      return load(cluster, sink, machine, plan(machine, runId, endpoints.size()));
    }
  }

  /** Starts the executions while the faults happen and the reads run, waits for the end, and audits. */
  private ChaosReport load(LocalCluster cluster, SideEffectSink sink, String machine, List<TrackedExecution> executions)
      throws Exception {
    List<String> endpoints = cluster.gateways();
    List<String> names = IntStream.range(0, endpoints.size()).mapToObj(cluster::gatewayName).toList();
    List<SfnClient> clients = endpoints.stream().map(SfnClients::withoutRetries).toList();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("chaos-progress").daemon().factory());
    try {
      ReadProber reads = new ReadProber(clients, names, i -> cluster.alive(names.get(i)), executions);
      reads.start();
      long originNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      originMs = System.currentTimeMillis() + 200;
      out.printf(Locale.ROOT, "starting %d executions of %s at %.1f/s through %s; faults: %s%n", executions.size(),
          machine, settings.startsPerSecond(), names, settings.faults());
      progress.scheduleAtFixedRate(() -> progress(executions, reads, cluster), PROGRESS_MS, PROGRESS_MS,
          TimeUnit.MILLISECONDS);
      Thread faults = Thread.ofPlatform().name("chaos-faults").start(() -> runFaults(cluster, reads));
      new Starter(clients, names::get, machine).run(executions, settings.startsPerSecond(), originNanos);
      faults.join();
      awaitEnd(executions);
      reads.close();
      progress.shutdownNow();
      progress(executions, reads, cluster);
      return audit(cluster, sink, executions, reads);
    } finally {
      progress.shutdownNow();
      clients.forEach(SfnClient::close);
    }
  }

  private ChaosReport audit(LocalCluster cluster, SideEffectSink sink, List<TrackedExecution> executions,
      ReadProber reads) {
    out.println("auditing histories (event log and GetExecutionHistory) ...");
    Map<String, History> log = HistoryAudit.fromLog(cluster.bootstrapServers());
    List<String> endpoints = cluster.gateways();
    int live = IntStream.range(0, endpoints.size()).filter(i -> cluster.alive(cluster.gatewayName(i))).findFirst()
        .orElseThrow(() -> new IllegalStateException("no gateway left to audit through"));
    long lastKill = done.stream().filter(f -> f.fault().action() == Fault.Action.KILL && f.error() == null)
        .mapToLong(Done::atMs).max().orElse(-1);
    try (SfnClient auditor = SfnClients.withRetries(endpoints.get(live))) {
      return new FinalAudit(auditor, cluster.gatewayName(live), originMs).report(setup(), executions, log, reads,
          countedCalls(sink), faultRecords(), lastKill, settings.recoveryBound(), cluster.logErrors());
    }
  }

  /**
   * Before anything is killed: two executions per partition (Wait 0), spread over the gateways, must
   * SUCCEED. That proves every instance's roles work, and warms them up. They are not counted.
   */
  private void warmUp(List<String> endpoints, List<String> names, String machine, String runId) throws Exception {
    int count = 2 * settings.partitions();
    out.println("warm-up: " + count + " executions through " + names + " ...");
    List<Future<String>> results = new ArrayList<>();
    try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        int n = i;
        results.add(each.submit(() -> {
          try (SfnClient sfn = SfnClients.withRetries(endpoints.get(n % endpoints.size()))) {
            String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name(WARM_UP + runId + "-" + n)
                .input(ChaosWorkflow.input(-1, 0))).executionArn();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            String status;
            while ((status = sfn.describeExecution(b -> b.executionArn(arn)).statusAsString()).equals("RUNNING")
                && System.nanoTime() < deadline) {
              Thread.sleep(200);
            }
            return status;
          }
        }));
      }
      for (int i = 0; i < count; i++) {
        String status;
        try {
          status = results.get(i).get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("warm-up execution " + i + " through " + names.get(i % names.size())
              + " failed: " + e.getCause(), e.getCause());
        }
        if (!status.equals("SUCCEEDED")) {
          throw new IllegalStateException("warm-up execution " + i + " through " + names.get(i % names.size())
              + " is " + status + " (after at most 3 minutes)");
        }
      }
    }
  }

  private List<TrackedExecution> plan(String machine, String runId, int gateways) {
    Random random = new Random(settings.seed());
    String executionPrefix = machine.replace(":stateMachine:", ":execution:") + ":";
    List<TrackedExecution> planned = new ArrayList<>();
    for (int i = 0; i < settings.executions(); i++) {
      String name = String.format(Locale.ROOT, "c%s-%04d", runId, i);
      int wait = settings.minWaitSeconds() + random.nextInt(settings.maxWaitSeconds() - settings.minWaitSeconds() + 1);
      planned.add(new TrackedExecution(i, name, executionPrefix + name, ChaosWorkflow.input(i, wait), i % gateways));
    }
    return planned;
  }

  /** Runs the fault schedule in time order, from the first start. */
  private void runFaults(LocalCluster cluster, ReadProber reads) {
    List<Fault> schedule = settings.faults().stream().sorted(Comparator.comparing(Fault::at)).toList();
    List<Thread> restarts = new ArrayList<>();
    for (Fault fault : schedule) {
      long wait = originMs + fault.at().toMillis() - System.currentTimeMillis();
      try {
        if (wait > 0) {
          Thread.sleep(wait);
        }
      } catch (InterruptedException e) {
        return;
      }
      long at = System.currentTimeMillis();
      try {
        long pid = cluster.pid(fault.target());
        if (fault.action() == Fault.Action.KILL) {
          if (!cluster.alive(fault.target())) {
            throw new IllegalStateException(fault.target() + " is not running");
          }
          cluster.kill(fault.target());
          record(fault, at, pid, reads, null);
        } else {
          restarts.add(Thread.ofVirtual().start(() -> restart(cluster, fault, at, reads)));
        }
      } catch (Exception e) {
        record(fault, at, -1, reads, e.toString());
      }
    }
    for (Thread restart : restarts) {
      try {
        restart.join();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void restart(LocalCluster cluster, Fault fault, long at, ReadProber reads) {
    try {
      cluster.restart(fault.target());
      record(fault, at, cluster.pid(fault.target()), reads, null);
      out.printf(Locale.ROOT, "+%s %s ready again%n", ChaosReport.seconds(System.currentTimeMillis() - originMs),
          fault.target());
    } catch (Exception e) {
      record(fault, at, -1, reads, e.toString());
    }
  }

  private void record(Fault fault, long atMs, long pid, ReadProber reads, String error) {
    done.add(new Done(fault, atMs - originMs, pid, error, reads.faultHappened(fault.toString(), atMs)));
    out.printf(Locale.ROOT, "+%s %s%s%n", ChaosReport.seconds(atMs - originMs),
        fault.action() == Fault.Action.KILL ? "kill -9 " : "restarted ", fault.target() + (pid > 0 ? " (pid " + pid + ")" : "")
            + (error == null ? "" : " FAILED: " + error));
  }

  private static Map<String, Integer> countedCalls(SideEffectSink sink) {
    Map<String, Integer> calls = new TreeMap<>(sink.calls());
    calls.keySet().removeIf(key -> key.startsWith(WARM_UP));
    return calls;
  }

  /** The faults as done, in time order, each with when reads recovered after it. */
  private List<FaultRecord> faultRecords() {
    return done.stream().sorted(Comparator.comparingLong(Done::atMs)).map(d -> new FaultRecord(d.fault(), d.atMs(),
        d.pid(), d.window().recoveredMs() > 0 ? d.window().recoveredMs() - originMs : -1, d.error())).toList();
  }

  /** Waits until every execution known to exist has been seen ended, or the deadline after the last start and fault. */
  private void awaitEnd(List<TrackedExecution> executions) throws InterruptedException {
    long lastFault = done.stream().mapToLong(Done::atMs).max().orElse(0) + originMs;
    long deadline = Math.max(System.currentTimeMillis(), lastFault) + settings.deadline().toMillis();
    // Executions whose start failed count once a read has found them.
    while (System.currentTimeMillis() < deadline && !executions.stream()
        .filter(e -> e.started() || e.status() != null).allMatch(TrackedExecution::ended)) {
      Thread.sleep(500);
    }
  }

  private void progress(List<TrackedExecution> executions, ReadProber reads, LocalCluster cluster) {
    Map<String, Integer> starts = new TreeMap<>();
    Map<String, Integer> statuses = new TreeMap<>();
    for (TrackedExecution execution : executions) {
      starts.merge(execution.start().name(), 1, Integer::sum);
      if (execution.status() != null) {
        statuses.merge(execution.status(), 1, Integer::sum);
      }
    }
    Map<String, Long> answers = new TreeMap<>();
    reads.answers().values().forEach(byGateway -> byGateway.forEach((answer, count) ->
        answers.merge(answer.startsWith("200") ? "200" : answer, count, Long::sum)));
    List<String> down = cluster.names().stream().filter(name -> !cluster.alive(name)).toList();
    out.printf(Locale.ROOT, "+%s starts %s | statuses %s | reads %s%s | load %.1f%n",
        ChaosReport.seconds(System.currentTimeMillis() - originMs), starts, statuses, answers,
        down.isEmpty() ? "" : " | down " + down, loadAverage());
  }

  private String setup() {
    return String.format(Locale.ROOT,
        "%d STANDARD executions at %.1f/s (waits %d-%d s), %d brokers, %d instances, %d workers, %d partitions, RF %d; %s;"
            + " %d cores, load average %.1f at the end",
        settings.executions(), settings.startsPerSecond(), settings.minWaitSeconds(), settings.maxWaitSeconds(),
        settings.brokers(), settings.instances(), settings.workers(), settings.partitions(),
        settings.replicationFactor(), settings.faults(), Runtime.getRuntime().availableProcessors(), loadAverage());
  }

  /** The machine's 1-minute load average: the cluster shares the cores with whatever else runs. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
