package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.kafka.EmbeddedKafkaBroker;
import io.stepstream.server.role.Roles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * {@code stepstream run} as an operator starts it in production: against a Kafka broker that
 * requires SASL (so every role's clients must take {@code --kafka-config}), with SigV4
 * authentication on by default and the keys of {@code --credentials-file}. Signed requests from the
 * AWS SDK and the AWS CLI are served; a wrong secret, an unknown key, an expired signature and an
 * unsigned request get AWS's errors and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthenticatedRunTest {

  private static final String KEY_ID = "AKIASTEPSTREAMTEST01";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSTEPSTREAM";
  private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:signed";
  private static final String DEFINITION = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
  private static final String MISMATCH = "The request signature we calculated does not match the signature you "
      + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

  private Path dir;

  private EmbeddedKafkaBroker broker;
  private Roles instance;
  private String endpoint;

  @BeforeAll
  void startBrokerWithSaslAndRunWithAuthentication(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    // The broker's client listener takes SASL/PLAIN only: a client without the settings cannot even connect.
    broker = EmbeddedKafkaBroker.start(Files.createDirectories(dir.resolve("kafka")), 0, Map.of(
        "listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
        "sasl.enabled.mechanisms", "PLAIN",
        "sasl.mechanism.inter.broker.protocol", "PLAIN",
        "listener.name.plaintext.plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" "
            + "password=\"admin-secret\" user_admin=\"admin-secret\" user_stepstream=\"stepstream-secret\";"));
    Path kafkaConfig = Files.writeString(dir.resolve("kafka-client.properties"), """
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
          username="stepstream" password="stepstream-secret";
        """);
    Path credentials = Files.writeString(dir.resolve("credentials"),
        "[test]\naws_access_key_id = " + KEY_ID + "\naws_secret_access_key = " + SECRET + "\n");
    int port = freePort();
    endpoint = "http://127.0.0.1:" + port;
    CommandLine.ParseResult parsed = new CommandLine(new StepstreamCommand()).parseArgs("run",
        "--bootstrap-servers", broker.bootstrapServers(), "--replication-factor", "1", "--partitions", "2",
        "--port", Integer.toString(port), "--state-dir", dir.resolve("state").toString(),
        "--kafka-config", kafkaConfig.toString(), "--credentials-file", credentials.toString());
    RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
    instance = run.start();
  }

  @AfterAll
  void stop() {
    if (instance != null) {
      instance.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldServeRequestsSignedWithAConfiguredKeyThroughEveryRole() {
    try (SfnClient sfn = SfnTestClients.signedBy(endpoint, KEY_ID, SECRET)) {
      sfn.createStateMachine(b -> b.name("signed").roleArn(SfnTestClients.ROLE).definition(DEFINITION));
      String execution = sfn.startExecution(b -> b.stateMachineArn(MACHINE).name("first").input("{\"a\":1}"))
          .executionArn();
      // Coordinator, projector and gateway all reached the SASL broker: the execution ran and is readable.
      assertThat(SfnTestClients.awaitStatus(sfn, execution, ExecutionStatus.SUCCEEDED).output()).isEqualTo("{\"a\":1}");
    }
  }

  @Test
  void shouldRefuseAWrongSecretWithInvalidSignatureAndWriteNothing() {
    try (SfnClient wrong = SfnTestClients.signedBy(endpoint, KEY_ID, "not-the-secret");
         SfnClient sfn = SfnTestClients.signedBy(endpoint, KEY_ID, SECRET)) {
      assertThatThrownBy(() -> wrong.createStateMachine(b -> b.name("forged").roleArn(SfnTestClients.ROLE)
          .definition(DEFINITION)))
          .isInstanceOfSatisfying(SfnException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(MISMATCH);
            assertThat(e.statusCode()).isEqualTo(400);
          });
      assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(
          "arn:aws:states:us-east-1:123456789012:stateMachine:forged")))
          .isInstanceOf(StateMachineDoesNotExistException.class);
    }
  }

  @Test
  void shouldRefuseAnUnknownAccessKeyWithUnrecognizedClient() {
    try (SfnClient unknown = SfnTestClients.signedBy(endpoint, "AKIAUNKNOWNKEY000000", SECRET)) {
      assertThatThrownBy(() -> unknown.listStateMachines(b -> { }))
          .isInstanceOfSatisfying(SfnException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("The security token included in the request is invalid.");
          });
    }
  }

  @Test
  void shouldRefuseAnUnsignedRequestAndStartNothing() throws Exception {
    String body = "{\"stateMachineArn\":\"" + MACHINE + "\",\"name\":\"unsigned\"}";
    HttpResponse<String> response = post(HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "AWSStepFunctions.StartExecution")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(response.body());
    assertThat(error.get("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
    assertThat(error.get("message").asText()).isEqualTo("Missing Authentication Token");
    try (SfnClient sfn = SfnTestClients.signedBy(endpoint, KEY_ID, SECRET)) {
      assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(
          "arn:aws:states:us-east-1:123456789012:execution:signed:unsigned")))
          .isInstanceOfSatisfying(SfnException.class, e ->
              assertThat(e.awsErrorDetails().errorCode()).isIn("ExecutionDoesNotExist", "StateMachineDoesNotExist"));
    }
  }

  @Test
  void shouldRefuseASignatureSignedTwentyMinutesAgoAsExpired() throws Exception {
    Instant signedAt = Instant.now().minus(Duration.ofMinutes(20));
    HttpResponse<String> response = post(sdkSigned("ListStateMachines", "{}", signedAt));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = Json.parse(response.body());
    assertThat(error.get("__type").asText()).isEqualTo("InvalidSignatureException");
    assertThat(error.get("message").asText()).startsWith("Signature expired: ").contains(" is now earlier than ")
        .endsWith(" - 15 min.)");
  }

  @Test
  void shouldLeaveHealthOpenForProbes() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(endpoint + "/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void shouldServeTheAwsCliSigningWithAConfiguredKeyAndRefuseAWrongSecret() throws Exception {
    assumeTrue(onPath("aws"), "the aws CLI is not on PATH");
    try (SfnClient sfn = SfnTestClients.signedBy(endpoint, KEY_ID, SECRET)) {
      sfn.createStateMachine(b -> b.name("from-cli-check").roleArn(SfnTestClients.ROLE).definition(DEFINITION));
    }
    Cli ok = cli(KEY_ID, SECRET, "list-state-machines");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("from-cli-check");

    Cli started = cli(KEY_ID, SECRET, "start-execution", "--name", "cli-run", "--state-machine-arn",
        "arn:aws:states:us-east-1:123456789012:stateMachine:from-cli-check");
    assertThat(started.exit()).as(started.err()).isZero();
    assertThat(started.out()).contains("execution:from-cli-check:cli-run");

    Cli wrong = cli(KEY_ID, "not-the-secret", "list-state-machines");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("InvalidSignatureException").contains("does not match the signature");

    Cli unknown = cli("AKIAUNKNOWNKEY000000", SECRET, "list-state-machines");
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("UnrecognizedClientException");
  }

  private record Cli(int exit, String out, String err) { }

  private Cli cli(String keyId, String secret, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("aws", "stepfunctions", "--endpoint-url", endpoint,
        "--output", "json"));
    args.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(args);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.put("AWS_ACCESS_KEY_ID", keyId);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_MAX_ATTEMPTS", "1");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    Path out = dir.resolve("cli.out");
    Path err = dir.resolve("cli.err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the aws CLI did not return: " + args);
    }
    return new Cli(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** A request signed by the AWS SDK's signer as if at {@code signedAt}, for the real server. */
  private HttpRequest sdkSigned(String action, String body, Instant signedAt) {
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(endpoint + "/"))
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("X-Amz-Target", "AWSStepFunctions." + action).build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(KEY_ID, SECRET))
        .request(request)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "states")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
    HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    // The JDK client sends Host itself, with the same value the signer signed.
    signed.request().forEachHeader((name, values) -> {
      if (!name.equalsIgnoreCase("Host")) {
        values.forEach(value -> http.header(name, value));
      }
    });
    return http.build();
  }

  private static HttpResponse<String> post(HttpRequest request) throws Exception {
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
