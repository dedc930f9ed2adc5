package io.stepstream.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.stepstream.gateway.api.Arns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.CreateStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

/** The Step Functions API of {@code dev} mode (embedded broker, Kafka-backed registry), driven by the AWS SDK. */
class DevModeSfnClientTest {

  static final String PASS = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
  static final String PASS_B = "{\"StartAt\":\"B\",\"States\":{\"B\":{\"Type\":\"Pass\",\"End\":true}}}";
  static final String ROLE = SfnTestClients.ROLE;

  @TempDir
  static Path dataDir;
  static DevMode dev;
  static SfnClient sfn;

  @BeforeAll
  static void start() {
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 1, Arns.defaults());
    sfn = client(dev.endpoint());
  }

  @AfterAll
  static void stop() {
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  static SfnClient client(String endpoint) {
    return SfnTestClients.client(endpoint);
  }


  @Test
  void shouldCreateDescribeUpdateAndDeleteAStateMachine() {
    CreateStateMachineResponse created = sfn.createStateMachine(b -> b.name("lifecycle").definition(PASS)
        .roleArn(ROLE).type(StateMachineType.EXPRESS));
    assertThat(created.stateMachineArn()).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:lifecycle");
    assertThat(created.creationDate()).isNotNull();

    DescribeStateMachineResponse described = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThat(described.definition()).isEqualTo(PASS);
    assertThat(described.type()).isEqualTo(StateMachineType.EXPRESS);
    assertThat(described.creationDate()).isEqualTo(created.creationDate());

    var updated = sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn()).definition(PASS_B));
    assertThat(updated.revisionId()).isNotBlank();
    DescribeStateMachineResponse after = sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThat(after.definition()).isEqualTo(PASS_B);
    assertThat(after.revisionId()).isEqualTo(updated.revisionId());

    sfn.deleteStateMachine(b -> b.stateMachineArn(created.stateMachineArn()));
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(created.stateMachineArn())))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  void shouldReturnTheSameArnForAnIdenticalCreateAndRefuseAChangedOne() {
    String arn = sfn.createStateMachine(b -> b.name("idempotent").definition(PASS).roleArn(ROLE)).stateMachineArn();
    assertThat(sfn.createStateMachine(b -> b.name("idempotent").definition(PASS).roleArn(ROLE)).stateMachineArn())
        .isEqualTo(arn);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("idempotent").definition(PASS_B).roleArn(ROLE)))
        .isInstanceOf(StateMachineAlreadyExistsException.class);
  }

  @Test
  void shouldPageThroughStateMachines() {
    for (int i = 0; i < 5; i++) {
      String name = "listed-" + i;
      sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));
    }
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(2).nextToken(next));
      assertThat(page.stateMachines()).hasSizeLessThanOrEqualTo(2);
      page.stateMachines().stream().map(StateMachineListItem::name).forEach(names::add);
      token = page.nextToken();
    } while (token != null);
    assertThat(names).contains("listed-0", "listed-1", "listed-2", "listed-3", "listed-4").doesNotHaveDuplicates();
  }

  @Test
  void shouldTagUntagAndListTags() {
    String arn = sfn.createStateMachine(b -> b.name("tags").definition(PASS).roleArn(ROLE)
        .tags(Tag.builder().key("team").value("a").build())).stateMachineArn();
    sfn.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("dev").build()));
    sfn.untagResource(b -> b.resourceArn(arn).tagKeys("team"));

    assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("env").value("dev").build());
  }

  @Test
  void shouldValidateDefinitions() {
    var ok = sfn.validateStateMachineDefinition(b -> b.definition(PASS));
    assertThat(ok.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
    var failed = sfn.validateStateMachineDefinition(b -> b.definition("{\"StartAt\":\"Missing\",\"States\":{}}"));
    assertThat(failed.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
    assertThat(failed.diagnostics()).isNotEmpty();
  }

  @Test
  void shouldAnswerBadRequestsWithAwsErrors() {
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("bad name").definition(PASS).roleArn(ROLE)))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("invalid").definition("{\"StartAt\":\"X\"}").roleArn(ROLE)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageStartingWith("Invalid State Machine Definition: '");
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:none")))
        .isInstanceOf(StateMachineDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("nonsense")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("no-role").definition(PASS)))
        .isInstanceOfSatisfying(SfnException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  @Test
  void shouldAnswerMalformedJsonAndUnknownActionsAndHealth() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> malformed = http.send(post("ListStateMachines", "{oops"), HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"__type\":\"SerializationException\"");

    HttpResponse<String> unknown = http.send(post("FlyToTheMoon", "{}"), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("\"__type\":\"UnknownOperationException\"");

    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(dev.endpoint() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void shouldKeepStateMachinesAcrossARestartOnTheSameDataDirectory() throws IOException {
    Path dir = Files.createTempDirectory(dataDir, "restart");
    String arn;
    try (DevMode first = DevMode.start(dir, "127.0.0.1", 0, 1, Arns.defaults());
         SfnClient client = client(first.endpoint())) {
      arn = client.createStateMachine(b -> b.name("durable").definition(PASS).roleArn(ROLE)).stateMachineArn();
    }
    try (DevMode second = DevMode.start(dir, "127.0.0.1", 0, 1, Arns.defaults());
         SfnClient client = client(second.endpoint())) {
      assertThat(client.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(PASS);
    }
  }

  private static HttpRequest post(String action, String body) {
    return HttpRequest.newBuilder(URI.create(dev.endpoint() + "/"))
        .header("X-Amz-Target", "AWSStepFunctions." + action)
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}
