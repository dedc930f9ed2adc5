package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stepstream.gateway.http.AuthenticationHandler;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the build can check of {@code deploy/} without a Docker daemon or a Kubernetes cluster: the
 * files parse, every {@code stepstream} command line in them parses with the real CLI, and images,
 * jar paths, ports and probes agree with each other and with the options they pass.
 */
class DeployFilesTest {

  /**
   * The Prometheus metric names Stepstream serves at {@code GET /metrics} that {@code deploy/} refers to.
   * MetricsAndThrottlingTest checks that a real dev server's {@code /metrics} serves each of them.
   */
  static final Set<String> METRICS = Set.of(
      "stepstream_executions_started_total",
      "stepstream_executions_succeeded_total",
      "stepstream_executions_failed_total",
      "stepstream_executions_timed_out_total",
      "stepstream_executions_aborted_total",
      "stepstream_executions_throttled_total",
      "stepstream_execution_time_seconds");

  /** The alarms Step Functions operators set, each an alert rule in {@code deploy/prometheus/alerts.yml}. */
  static final Set<String> ALERTS = Set.of("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionThrottled",
      "ExecutionTimeP99");

  /** The repository root: tests run in the module's directory. */
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path DEPLOY = REPO.resolve("deploy");
  private static final ObjectMapper YAML = new YAMLMapper(new YAMLFactory());
  private static final String IMAGE = "stepstream:0.1.0";

  @Test
  void shouldBuildTheImageFromTheJarTheBuildMakesOnAJre25AsANonRootUser() throws Exception {
    Dockerfile docker = Dockerfile.read(DEPLOY.resolve("Dockerfile"));

    assertThat(docker.first("FROM")).matches("eclipse-temurin:25(\\.[0-9.+_]+)?-jre.*");
    String user = docker.first("USER");
    assertThat(user.split(":")[0]).isNotIn("0", "root").matches("[0-9]+");
    // The jar COPYed is the one `./mvnw -pl server -am package` writes (the shade plugin's finalName).
    String finalName = finalName(REPO.resolve("server/pom.xml"));
    Map<String, String> copies = docker.copies();
    assertThat(copies).containsKey("server/target/" + finalName + ".jar");
    String jarInImage = copies.get("server/target/" + finalName + ".jar");
    for (String source : copies.keySet()) {
      if (!source.startsWith("server/target/")) {
        assertThat(REPO.resolve(source)).as("COPY source " + source).isRegularFile();
      }
    }
    assertThat(docker.first("ENTRYPOINT")).contains("\"-jar\", \"" + jarInImage + "\"");
    assertThat(Files.isExecutable(DEPLOY.resolve("kafka/kafka-broker.sh"))).isTrue();
  }

  @Test
  void shouldRunThreeKraftBrokersFromTheJarsBrokerClasses() throws Exception {
    JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    String script = Files.readString(DEPLOY.resolve("kafka/kafka-broker.sh"));
    Dockerfile docker = Dockerfile.read(DEPLOY.resolve("Dockerfile"));
    List<String> brokers = new ArrayList<>();
    Set<String> ids = new TreeSet<>();
    String voters = null;
    for (var service : iterable(compose.get("services").fields())) {
      JsonNode entrypoint = service.getValue().get("entrypoint");
      if (entrypoint != null && entrypoint.get(0).asText().endsWith("kafka-broker.sh")) {
        brokers.add(service.getKey());
        assertThat(docker.copies()).containsValue(entrypoint.get(0).asText());
        assertThat(service.getValue().get("image").asText()).isEqualTo(IMAGE);
        JsonNode env = service.getValue().get("environment");
        ids.add(env.get("KAFKA_NODE_ID").asText());
        assertThat(env.get("KAFKA_ADVERTISED_HOST").asText()).isEqualTo(service.getValue().get("hostname").asText());
        // A KRaft cluster id is a UUID: 16 bytes, base64url without padding.
        assertThat(Base64.getUrlDecoder().decode(env.get("KAFKA_CLUSTER_ID").asText())).hasSize(16);
        voters = voters == null ? env.get("KAFKA_VOTERS").asText() : voters;
        assertThat(env.get("KAFKA_VOTERS").asText()).isEqualTo(voters);
      }
    }
    assertThat(brokers).hasSize(3);
    assertThat(ids).containsExactly("1", "2", "3");
    assertThat(voters).isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
    // The script starts the broker and formats its storage with classes the jar carries.
    for (String mainClass : List.of("kafka.Kafka", "kafka.tools.StorageTool")) {
      assertThat(script).contains(" " + mainClass + " ");
      Class.forName(mainClass);
    }
  }

  @Test
  void shouldStartComposeInstancesWithOptionsTheRunCommandHasAndPortsTheyPublish() throws Exception {
    JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    Set<String> brokerAddresses = new TreeSet<>();
    Map<String, List<String>> instances = new LinkedHashMap<>();
    for (var service : iterable(compose.get("services").fields())) {
      JsonNode command = service.getValue().get("command");
      if (command != null && command.get(0).asText().equals("run")) {
        instances.put(service.getKey(), strings(command));
        assertThat(service.getValue().get("image").asText()).isEqualTo(IMAGE);
        assertThat(service.getValue().get("build").get("dockerfile").asText()).isEqualTo("deploy/Dockerfile");
      }
      JsonNode env = service.getValue().get("environment");
      if (env != null && env.has("KAFKA_ADVERTISED_HOST")) {
        brokerAddresses.add(env.get("KAFKA_ADVERTISED_HOST").asText() + ":9092");
      }
    }
    assertThat(instances).hasSize(2);
    for (var instance : instances.entrySet()) {
      JsonNode service = compose.get("services").get(instance.getKey());
      RunCommand run = parseRun(instance.getValue());
      assertThat(new TreeSet<>(List.of(run.bootstrapServers.split(",")))).isEqualTo(brokerAddresses);
      // Published to the other instances: the container's own name, never a wildcard address.
      assertThat(run.host).isEqualTo(service.get("hostname").asText());
      assertThat(run.replicationFactor).isEqualTo((short) 3);
      assertThat(run.authentication.credentialsFile.toString())
          .isEqualTo(service.get("secrets").get(0).get("target").asText());
      assertThat(run.stateDir.toString()).startsWith(volumeTarget(service) + "/");
      List<String> published = strings(service.get("ports"));
      assertThat(published).hasSize(1);
      assertThat(published.get(0)).endsWith(":" + run.port);
      assertThat(run.internalPort).isNotEqualTo(run.port).isPositive();
    }
    assertThat(DEPLOY.resolve(compose.get("secrets").get("stepstream-credentials").get("file").asText()))
        .isRegularFile();
    assertThat(io.stepstream.gateway.auth.AccessKeys.load(DEPLOY.resolve("credentials.example")).size()).isPositive();
    assertThat(compose.get("services").get("otel-collector")).isNotNull();
    assertThat(compose.get("services").get("prometheus")).isNotNull();
  }

  @Test
  void shouldScrapeEveryInstanceOnItsApiPortAndLoadTheAlertRules() throws Exception {
    JsonNode compose = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
    JsonNode prometheus = YAML.readTree(DEPLOY.resolve("prometheus/prometheus.yml").toFile());
    Set<String> expected = new TreeSet<>();
    for (var service : iterable(compose.get("services").fields())) {
      JsonNode command = service.getValue().get("command");
      if (command != null && command.get(0).asText().equals("run")) {
        RunCommand run = parseRun(strings(command));
        expected.add(run.host + ":" + run.port);
      }
    }
    JsonNode job = prometheus.get("scrape_configs").get(0);
    assertThat(job.get("metrics_path").asText()).isEqualTo("/metrics").isIn(AuthenticationHandler.OPEN_PATHS);
    assertThat(new TreeSet<>(strings(job.get("static_configs").get(0).get("targets")))).isEqualTo(expected);
    // The rules file Prometheus loads is the one compose mounts from deploy/prometheus/alerts.yml.
    String rulesInContainer = prometheus.get("rule_files").get(0).asText();
    assertThat(strings(compose.get("services").get("prometheus").get("volumes")))
        .contains("./prometheus/alerts.yml:" + rulesInContainer + ":ro");
  }

  @Test
  void shouldAlertOnTheFourAlarmsWithMetricNamesStepstreamServes() throws Exception {
    JsonNode rules = YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile());
    Map<String, String> expressions = new HashMap<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        expressions.put(rule.get("alert").asText(), rule.get("expr").asText());
      }
    }
    assertThat(expressions.keySet()).containsExactlyInAnyOrderElementsOf(ALERTS);
    Pattern metric = Pattern.compile("\\bstepstream_[a-z_]+");
    for (var rule : expressions.entrySet()) {
      Matcher names = metric.matcher(rule.getValue());
      assertThat(names.find()).as(rule.getKey() + " uses a Stepstream metric").isTrue();
      do {
        String name = names.group().replaceFirst("_(bucket|sum|count)$", "");
        assertThat(METRICS).as(rule.getKey() + " refers to " + names.group()).contains(name);
      } while (names.find());
    }
    assertThat(expressions.get("ExecutionTimeP99")).contains("histogram_quantile(0.99")
        .contains("stepstream_execution_time_seconds_bucket");
  }

  @Test
  void shouldRunTheStatefulSetWithOptionsTheRunCommandHasAndProbeHealthOnTheApiPort() throws Exception {
    Map<String, JsonNode> manifests = new HashMap<>();
    try (var parser = YAML.getFactory().createParser(DEPLOY.resolve("kubernetes/stepstream.yaml").toFile())) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode doc = it.next();
        manifests.put(doc.get("kind").asText() + "/" + doc.get("metadata").get("name").asText(), doc);
      }
    }
    JsonNode set = manifests.get("StatefulSet/stepstream");
    assertThat(set).isNotNull();
    JsonNode pod = set.get("spec").get("template").get("spec");
    assertThat(pod.get("securityContext").get("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.get("securityContext").get("runAsUser").asInt())
        .isEqualTo(Integer.parseInt(Dockerfile.read(DEPLOY.resolve("Dockerfile")).first("USER").split(":")[0]));
    JsonNode container = pod.get("containers").get(0);
    assertThat(container.get("image").asText()).isEqualTo(IMAGE);
    RunCommand run = parseRun(strings(container.get("args")));
    assertThat(run.host).isEqualTo("$(POD_IP)");
    Map<String, Integer> ports = new HashMap<>();
    container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
    assertThat(ports).containsEntry("api", run.port).containsEntry("internal", run.internalPort);
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      JsonNode get = container.get(probe).get("httpGet");
      assertThat(get.get("path").asText()).as(probe).isEqualTo("/health");
      assertThat(get.get("port").asText()).as(probe).isEqualTo("api");
    }
    // The state directory is on the claim of volumeClaimTemplates; the files the options name are mounted.
    Map<String, String> mounts = new HashMap<>();
    container.get("volumeMounts").forEach(m -> mounts.put(m.get("name").asText(), m.get("mountPath").asText()));
    String stateVolume = set.get("spec").get("volumeClaimTemplates").get(0).get("metadata").get("name").asText();
    assertThat(run.stateDir.toString()).startsWith(mounts.get(stateVolume) + "/");
    assertThat(mounts.values()).anyMatch(m -> run.authentication.credentialsFile.toString().startsWith(m + "/"));
    assertThat(mounts.values()).anyMatch(m -> run.kafka.file.toString().startsWith(m + "/"));

    JsonNode service = manifests.get("Service/stepstream");
    assertThat(service.get("spec").get("ports").get(0).get("targetPort").asText()).isEqualTo("api");
    assertThat(manifests.get("Service/" + set.get("spec").get("serviceName").asText())).isNotNull();
    // Only Stepstream pods reach the internal listener.
    JsonNode ingress = manifests.get("NetworkPolicy/stepstream").get("spec").get("ingress");
    boolean internalRestricted = false;
    for (JsonNode rule : ingress) {
      boolean internal = rule.get("ports").get(0).get("port").asInt() == run.internalPort;
      if (internal) {
        internalRestricted = rule.has("from")
            && rule.get("from").get(0).get("podSelector").equals(set.get("spec").get("selector"));
      }
    }
    assertThat(internalRestricted).isTrue();
  }

  /** Parses {@code stepstream run ...} as the executable does: an unknown option or a bad value fails. */
  private static RunCommand parseRun(List<String> args) {
    CommandLine.ParseResult parsed = new CommandLine(new StepstreamCommand()).parseArgs(args.toArray(String[]::new));
    CommandSpec spec = parsed.subcommand().commandSpec();
    assertThat(spec.name()).isEqualTo("run");
    return (RunCommand) spec.userObject();
  }

  private static String volumeTarget(JsonNode service) {
    String volume = service.get("volumes").get(0).asText();
    return volume.substring(volume.indexOf(':') + 1);
  }

  private static String finalName(Path pom) throws IOException {
    Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(pom));
    assertThat(m.find()).as("finalName in " + pom).isTrue();
    return m.group(1);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
    return () -> it;
  }

  /** The instructions of a Dockerfile that this deployment uses, one per line (no continuation lines). */
  private record Dockerfile(List<String[]> instructions) {

    static Dockerfile read(Path file) throws IOException {
      List<String[]> instructions = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("&&")) {
          continue;
        }
        String[] parts = trimmed.split("\\s+", 2);
        instructions.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
      }
      return new Dockerfile(instructions);
    }

    String first(String instruction) {
      return instructions.stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).findFirst()
          .orElseThrow(() -> new AssertionError("no " + instruction));
    }

    /** COPY source to destination. */
    Map<String, String> copies() {
      Map<String, String> copies = new LinkedHashMap<>();
      instructions.stream().filter(i -> i[0].equals("COPY")).forEach(i -> {
        String[] args = i[1].split("\\s+");
        copies.put(args[0], args[1]);
      });
      return copies;
    }
  }
}
