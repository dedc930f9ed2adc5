package io.stepstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.asl.teststate.TaskInvoker;
import io.stepstream.gateway.api.Arns;
import io.stepstream.gateway.registry.InMemoryStateMachineRegistry;
import io.stepstream.gateway.statemachine.DefinitionDiagnostic;
import io.stepstream.gateway.statemachine.DefinitionValidation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewayHttpTest {

  static final String DEFINITION = "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}";
  static final String ROLE = "arn:aws:iam::123456789012:role/r";
  /** Flags definitions without StartAt, as the real validator would. */
  static final DefinitionValidation VALIDATION = definition -> definition.contains("StartAt") ? List.of()
      : List.of(new DefinitionDiagnostic("ERROR", "SCHEMA_VALIDATION_FAILED", "The field 'StartAt' is required", "/"));

  static GatewayServer server;
  static HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
    server = GatewayServer.start(GatewayConfig.of("127.0.0.1", 0),
        StepFunctionsApi.stateMachineActions(new InMemoryStateMachineRegistry(), Arns.defaults(), VALIDATION, TaskInvoker.NONE,
            clock)
            .build(),
        () -> true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void shouldCreateAndDescribeAStateMachine() throws Exception {
    JsonNode created = ok("CreateStateMachine", "{\"name\":\"describe-me\",\"definition\":" + quote(DEFINITION)
        + ",\"roleArn\":\"" + ROLE + "\",\"type\":\"EXPRESS\"}");
    assertThat(created.get("stateMachineArn").asText())
        .isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:describe-me");
    assertThat(call("CreateStateMachine", "{\"name\":\"describe-me\",\"definition\":" + quote(DEFINITION)
        + ",\"roleArn\":\"" + ROLE + "\",\"type\":\"EXPRESS\"}").body()).contains("\"creationDate\":1700000000.123");

    JsonNode described = ok("DescribeStateMachine", "{\"stateMachineArn\":\"" + created.get("stateMachineArn").asText() + "\"}");
    assertThat(described.get("definition").asText()).isEqualTo(DEFINITION);
    assertThat(described.get("type").asText()).isEqualTo("EXPRESS");
    assertThat(described.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(described.get("roleArn").asText()).isEqualTo(ROLE);
  }

  @Test
  void shouldReturnTheExistingArnForAnIdenticalCreateAndRejectADifferentOne() throws Exception {
    String body = "{\"name\":\"twice\",\"definition\":" + quote(DEFINITION) + ",\"roleArn\":\"" + ROLE + "\"}";
    JsonNode first = ok("CreateStateMachine", body);
    JsonNode second = ok("CreateStateMachine", body);
    assertThat(second).isEqualTo(first);

    HttpResponse<String> different = call("CreateStateMachine", body.replace(ROLE, ROLE + "-other"));
    assertError(different, "StateMachineAlreadyExists",
        "State Machine Already Exists: 'arn:aws:states:us-east-1:123456789012:stateMachine:twice'");
  }

  @Test
  void shouldRejectAnInvalidDefinitionWithAwsMessage() throws Exception {
    assertError(call("CreateStateMachine", "{\"name\":\"bad\",\"definition\":\"{}\",\"roleArn\":\"" + ROLE + "\"}"),
        "InvalidDefinition",
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required at /'");
  }

  @Test
  void shouldRejectBadNamesMissingMembersAndWrongTypes() throws Exception {
    assertError(call("CreateStateMachine", "{\"name\":\"has space\",\"definition\":" + quote(DEFINITION)
        + ",\"roleArn\":\"" + ROLE + "\"}"), "InvalidName", "Invalid Name: 'has space'");
    assertError(call("CreateStateMachine", "{\"name\":\"no-role\",\"definition\":" + quote(DEFINITION) + "}"),
        "ValidationException",
        "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    assertError(call("CreateStateMachine", "{\"name\":\"t\",\"definition\":" + quote(DEFINITION) + ",\"roleArn\":\""
        + ROLE + "\",\"type\":\"FAST\"}"), "ValidationException",
        "1 validation error detected: Value 'FAST' at 'type' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [STANDARD, EXPRESS]");
  }

  @Test
  void shouldAnswerUnknownArnsAndMalformedArns() throws Exception {
    assertError(call("DescribeStateMachine", "{\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:stateMachine:nope\"}"),
        "StateMachineDoesNotExist", "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope'");
    assertError(call("DescribeStateMachine", "{\"stateMachineArn\":\"not-an-arn\"}"),
        "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
    assertError(call("DescribeStateMachine", "{\"stateMachineArn\":\"arn:aws:states:us-east-1:123456789012:execution:a:b\"}"),
        "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: execution'");
  }

  @Test
  void shouldAnswerUnknownActionsAndMalformedBodies() throws Exception {
    assertThat(type(call("NoSuchAction", "{}"))).isEqualTo("UnknownOperationException");
    assertThat(type(call("ListStateMachines", "{not json"))).isEqualTo("SerializationException");
    assertThat(type(call("ListStateMachines", "[1]"))).isEqualTo("SerializationException");
    assertThat(type(call("DescribeStateMachine", "{\"stateMachineArn\": 5}"))).isEqualTo("SerializationException");
  }

  @Test
  void shouldUpdateDeleteAndPageThroughStateMachines() throws Exception {
    for (String name : List.of("page-a", "page-b", "page-c")) {
      ok("CreateStateMachine", "{\"name\":\"" + name + "\",\"definition\":" + quote(DEFINITION) + ",\"roleArn\":\"" + ROLE + "\"}");
    }
    String arnB = Arns.defaults().stateMachine("page-b");
    JsonNode updated = ok("UpdateStateMachine", "{\"stateMachineArn\":\"" + arnB + "\",\"roleArn\":\"" + ROLE + "2\"}");
    assertThat(updated.get("revisionId").asText()).isNotEmpty();
    JsonNode described = ok("DescribeStateMachine", "{\"stateMachineArn\":\"" + arnB + "\"}");
    assertThat(described.get("roleArn").asText()).isEqualTo(ROLE + "2");
    assertThat(described.get("revisionId").asText()).isEqualTo(updated.get("revisionId").asText());

    ok("DeleteStateMachine", "{\"stateMachineArn\":\"" + Arns.defaults().stateMachine("page-c") + "\"}");
    assertThat(type(call("DescribeStateMachine", "{\"stateMachineArn\":\"" + Arns.defaults().stateMachine("page-c") + "\"}")))
        .isEqualTo("StateMachineDoesNotExist");

    List<String> names = new java.util.ArrayList<>();
    String token = null;
    do {
      JsonNode page = ok("ListStateMachines", token == null ? "{\"maxResults\":1}"
          : "{\"maxResults\":1,\"nextToken\":\"" + token + "\"}");
      page.get("stateMachines").forEach(item -> names.add(item.get("name").asText()));
      token = page.hasNonNull("nextToken") ? page.get("nextToken").asText() : null;
    } while (token != null);
    assertThat(names).contains("page-a", "page-b").doesNotContain("page-c").isSorted();
    assertThat(type(call("ListStateMachines", "{\"nextToken\":\"bogus!\"}"))).isEqualTo("InvalidToken");
  }

  @Test
  void shouldTagUntagAndListTags() throws Exception {
    String arn = ok("CreateStateMachine", "{\"name\":\"tagged\",\"definition\":" + quote(DEFINITION) + ",\"roleArn\":\""
        + ROLE + "\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}").get("stateMachineArn").asText();
    ok("TagResource", "{\"resourceArn\":\"" + arn + "\",\"tags\":[{\"key\":\"b\",\"value\":\"2\"},{\"key\":\"a\",\"value\":\"3\"}]}");
    ok("UntagResource", "{\"resourceArn\":\"" + arn + "\",\"tagKeys\":[\"b\"]}");

    JsonNode tags = ok("ListTagsForResource", "{\"resourceArn\":\"" + arn + "\"}");
    assertThat(tags.get("tags")).isEqualTo(Json.parse("[{\"key\":\"a\",\"value\":\"3\"}]"));
    assertThat(type(call("ListTagsForResource", "{\"resourceArn\":\"" + arn + "x\"}"))).isEqualTo("ResourceNotFound");
  }

  @Test
  void shouldValidateDefinitionsWithoutCreatingThem() throws Exception {
    assertThat(ok("ValidateStateMachineDefinition", "{\"definition\":" + quote(DEFINITION) + "}"))
        .isEqualTo(Json.parse("{\"result\":\"OK\",\"diagnostics\":[],\"truncated\":false}"));
    JsonNode failed = ok("ValidateStateMachineDefinition", "{\"definition\":\"{}\"}");
    assertThat(failed.get("result").asText()).isEqualTo("FAIL");
    assertThat(failed.get("diagnostics").get(0).get("code").asText()).isEqualTo("SCHEMA_VALIDATION_FAILED");
  }

  @Test
  void shouldAnswerHealthAndRefuseOversizedBodies() throws Exception {
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    String huge = "{\"definition\":\"" + "x".repeat(GatewayConfig.DEFAULT_MAX_REQUEST_BYTES + 1) + "\"}";
    assertThat(call("ValidateStateMachineDefinition", huge).statusCode()).isEqualTo(413);
  }

  private static JsonNode ok(String action, String body) throws Exception {
    HttpResponse<String> response = call(action, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static HttpResponse<String> call(String action, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("X-Amz-Target", "AWSStepFunctions." + action)
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, String type, String message) {
    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = Json.parse(response.body());
    assertThat(body.get("__type").asText()).isEqualTo(type);
    assertThat(body.get("message").asText()).isEqualTo(message);
  }

  private static String type(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(400);
    return Json.parse(response.body()).get("__type").asText();
  }

  private static String quote(String text) {
    return Json.MAPPER.getNodeFactory().textNode(text).toString();
  }
}
