package io.stepstream.loadtest.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import io.stepstream.kafka.Failover;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Uuid;

/**
 * A Stepstream cluster on 127.0.0.1, every member a process of its own: {@code broker-1..n} (KRaft,
 * each node both broker and controller, formatted with one cluster id), {@code instance-1..n}
 * ({@code stepstream run} with every role; their gateways are the cluster's API) and
 * {@code worker-1..n} ({@code stepstream run --roles worker}). Ports are free ones picked at start
 * and kept across restarts. {@link #close()} kills every process.
 *
 * <p>The brokers are set up as the operator guide asks for three of them: internal topics replicated
 * 3 times with {@code min.insync.replicas} 2 (fewer with fewer brokers). Only the internal topics'
 * partition counts are lowered (12 instead of 50) so that a cluster starts in seconds on two cores.
 */
final class LocalCluster implements AutoCloseable {

  /** Stepstream's command-line entry point (the fat jar's main class). */
  static final String STEPSTREAM = "io.stepstream.server.StepstreamCommand";
  /** The Streams applications whose partitions the instances share (topic prefix {@code sfn.}). */
  static final List<String> SHARED_GROUPS = List.of("sfn.coordinator-standard", "sfn.projector");
  private static final Duration START_LIMIT = Duration.ofMinutes(3);

  private final ChaosSettings settings;
  private final PrintStream out;
  private final Map<String, ClusterProcess> processes = new LinkedHashMap<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private final Set<Integer> ports = new HashSet<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final long startedNanos = System.nanoTime();
  private String bootstrapServers;

  private LocalCluster(ChaosSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Formats and starts the brokers, then the instances and workers, and returns once every instance
   * is healthy and the instances share the coordinator's and projector's partitions. On failure,
   * kills what it started.
   */
  static LocalCluster start(ChaosSettings settings, PrintStream out) throws Exception {
    LocalCluster cluster = new LocalCluster(settings, out);
    try {
      cluster.startBrokers();
      cluster.startStepstream();
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** The brokers' addresses, all of them (clients skip the dead ones). */
  String bootstrapServers() {
    return bootstrapServers;
  }

  /** The API endpoints of the instances, {@code instance-1} first. */
  List<String> gateways() {
    return List.copyOf(endpoints.values());
  }

  /** The name of the instance whose gateway is {@code gateways().get(index)}. */
  String gatewayName(int index) {
    return "instance-" + (index + 1);
  }

  boolean alive(String name) {
    return process(name).alive();
  }

  long pid(String name) {
    return process(name).pid();
  }

  /** kill -9 of the named process; returns once it is gone. */
  void kill(String name) throws InterruptedException {
    process(name).kill();
  }

  /** Starts the named process again and waits until it is ready. */
  void restart(String name) throws Exception {
    ClusterProcess process = process(name);
    process.start();
    awaitReady(process);
  }

  /** Every process's name, in start order. */
  List<String> names() {
    return List.copyOf(processes.keySet());
  }

  Path log(String name) {
    return process(name).log();
  }

  /** The ERROR lines of every process's log that has some, by process name. */
  Map<String, List<String>> logErrors() {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    processes.forEach((name, process) -> {
      List<String> lines = process.errors(400);
      if (!lines.isEmpty()) {
        errors.put(name, lines);
      }
    });
    return errors;
  }

  @Override
  public void close() {
    List<ClusterProcess> all = new ArrayList<>(processes.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ClusterProcess process(String name) {
    ClusterProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException("no process " + name + " in this cluster; there are " + processes.keySet());
    }
    return process;
  }

  private void startBrokers() throws Exception {
    int n = settings.brokers();
    int[] client = new int[n];
    int[] controller = new int[n];
    List<String> voters = new ArrayList<>();
    List<String> bootstrap = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      client[i] = freePort();
      controller[i] = freePort();
      voters.add((i + 1) + "@127.0.0.1:" + controller[i]);
      bootstrap.add("127.0.0.1:" + client[i]);
    }
    bootstrapServers = String.join(",", bootstrap);
    String clusterId = Uuid.randomUuid().toString();
    List<Process> formats = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path dir = Files.createDirectories(settings.workDir().resolve("broker-" + (i + 1)));
      Path config = dir.resolve("server.properties");
      Files.writeString(config, brokerProperties(i + 1, client[i], controller[i], String.join(",", voters),
          dir.resolve("data")));
      configs.add(config);
      formats.add(new ProcessBuilder(command(List.of(), "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
          config.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("format.log").toFile()).start());
    }
    for (int i = 0; i < n; i++) {
      if (!formats.get(i).waitFor(2, TimeUnit.MINUTES) || formats.get(i).exitValue() != 0) {
        throw new IllegalStateException("formatting broker-" + (i + 1) + " failed: "
            + Files.readString(configs.get(i).resolveSibling("format.log")));
      }
    }
    for (int i = 0; i < n; i++) {
      ClusterProcess broker = add("broker-" + (i + 1), command(List.of("-Xms128m", "-Xmx512m"), "kafka.Kafka",
          configs.get(i).toString()));
      broker.start();
    }
    try (Admin admin = admin()) {
      await(() -> {
        try {
          return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == n;
        } catch (Exception e) {
          return false;
        }
      }, "the " + n + " brokers to form the cluster", "broker-1");
    }
    out.println("brokers up after " + elapsed() + ": " + bootstrapServers);
  }

  private void startStepstream() throws Exception {
    List<ClusterProcess> instances = new ArrayList<>();
    for (int i = 1; i <= settings.instances(); i++) {
      int port = freePort();
      String name = "instance-" + i;
      endpoints.put(name, "http://127.0.0.1:" + port);
      instances.add(add(name, stepstreamRun(name, port, null)));
    }
    List<ClusterProcess> workers = new ArrayList<>();
    for (int i = 1; i <= settings.workers(); i++) {
      String name = "worker-" + i;
      workers.add(add(name, stepstreamRun(name, freePort(), "worker")));
    }
    // All at once: creating the topics is safe to race (a topic another instance created is left as it is).
    List<ClusterProcess> all = new ArrayList<>(instances);
    all.addAll(workers);
    for (ClusterProcess process : all) {
      process.start();
    }
    for (ClusterProcess process : all) {
      awaitReady(process);
    }
    try (Admin admin = admin()) {
      await(() -> groupsShared(admin), "every instance to hold partitions of " + SHARED_GROUPS, "instance-1");
    }
    out.println("instances up after " + elapsed() + ": " + endpoints
        + (workers.isEmpty() ? "" : ", workers: " + settings.workers()));
  }

  /**
   * Whether the coordinator's and projector's groups are stable and every running instance holds
   * partitions in both. A member is a stream thread, so an instance is the client id before
   * {@code -StreamThread-}.
   */
  private boolean groupsShared(Admin admin) {
    long running = endpoints.keySet().stream().filter(this::alive).count();
    try {
      Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(SHARED_GROUPS).all()
          .get(5, TimeUnit.SECONDS);
      return groups.values().stream().allMatch(group -> group.groupState() == GroupState.STABLE
          && group.members().stream().filter(member -> !member.assignment().topicPartitions().isEmpty())
          .map(member -> member.clientId().replaceFirst("-StreamThread-.*", "")).distinct().count() == running);
    } catch (Exception e) {
      return false;
    }
  }

  private void awaitReady(ClusterProcess process) throws Exception {
    String endpoint = endpoints.get(process.name());
    if (endpoint == null) {
      // A worker has no API: it logs once every role has started.
      await(() -> process.logText().contains("Stepstream ready"), process.name() + " to start", process.name());
      return;
    }
    HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint + "/health")).timeout(Duration.ofSeconds(5)).build();
    await(() -> {
      try {
        return http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }, process.name() + " to be healthy", process.name());
  }

  /** Waits up to three minutes for {@code condition}; fails early when the process it waits on exited. */
  private void await(BooleanSupplier condition, String what, String watched) throws InterruptedException {
    long deadline = System.nanoTime() + START_LIMIT.toNanos();
    ClusterProcess process = process(watched);
    while (!condition.getAsBoolean()) {
      if (process.exitCode() != null) {
        throw new IllegalStateException(watched + " exited with " + process.exitCode() + " while waiting for " + what
            + "; its log ends:\n" + process.logTail(60));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + START_LIMIT.toSeconds() + " s waiting for " + what
            + "; the log of " + watched + " ends:\n" + process.logTail(60));
      }
      Thread.sleep(250);
    }
  }

  private ClusterProcess add(String name, List<String> command) throws IOException {
    Path logs = Files.createDirectories(settings.workDir().resolve("logs"));
    ClusterProcess process = new ClusterProcess(name, command, logs.resolve(name + ".log"));
    processes.put(name, process);
    return process;
  }

  private List<String> stepstreamRun(String name, int port, String roles) throws IOException {
    Path state = Files.createDirectories(settings.workDir().resolve(name));
    List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrapServers,
        "--replication-factor", Integer.toString(settings.replicationFactor()),
        "--partitions", Integer.toString(settings.partitions()), "--port", Integer.toString(port),
        "--state-dir", state.resolve("state").toString(),
        // A throw-away cluster on 127.0.0.1 whose clients send dummy credentials.
        "--no-authentication"));
    if (roles != null) {
      args.add("--roles");
      args.add(roles);
    }
    return command(List.of("-Xms256m", "-Xmx1g"), STEPSTREAM, args.toArray(String[]::new));
  }

  private List<String> command(List<String> heap, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(settings.launcher().java());
    command.addAll(heap);
    command.addAll(settings.launcher().jvmOptions());
    command.add("-cp");
    command.add(settings.launcher().classPath());
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  private String brokerProperties(int nodeId, int clientPort, int controllerPort, String voters, Path data) {
    int replicas = settings.replicationFactor();
    int minIsr = Math.min(2, replicas);
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=" + nodeId,
        "controller.quorum.voters=" + voters,
        "listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "offsets.topic.replication.factor=" + replicas,
        "offsets.topic.num.partitions=12",
        "transaction.state.log.replication.factor=" + replicas,
        "transaction.state.log.min.isr=" + minIsr,
        "transaction.state.log.num.partitions=12",
        "share.coordinator.state.topic.replication.factor=" + replicas,
        "share.coordinator.state.topic.min.isr=" + minIsr,
        "default.replication.factor=" + replicas,
        "min.insync.replicas=" + minIsr,
        "group.initial.rebalance.delay.ms=0",
        Failover.ABORT_CHECK_CONFIG + "=" + Failover.ABORT_CHECK_INTERVAL_MS,
        "");
  }

  private String elapsed() {
    return ChaosReport.seconds(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000));
  }

  /** A port free now, and not handed out before in this cluster. */
  private int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (ports.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      }
    }
  }
}
