package io.stepstream.testing;

import static io.stepstream.testing.MockedResponse.fails;
import static io.stepstream.testing.MockedResponse.returns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's example: a user's order workflow tested in-process with mocked tasks. */
@ExtendWith(StepFunctionsExtension.class)
class OrderWorkflowTest {

  private static final Path ORDER = Path.of("src/test/resources/order.asl.json");
  private static final String INPUT = "{\"order\": \"o-1\", \"amount\": 42}";

  @Test
  void shouldChargeWaitAndShip(Workflows workflows) {
    ExecutionResult result = workflows.definition(ORDER)
        .mock("ChargeCard", returns("{\"StatusCode\": 200, \"Payload\": {\"chargeId\": \"ch_1\"}}"))
        .mock("Ship", returns("{\"MessageId\": \"m-1\"}"))
        .start(INPUT);

    assertThat(result.status()).isEqualTo("SUCCEEDED");
    assertThat(result.path()).containsExactly("Validate", "ChargeCard", "CoolingOff", "Ship");
    assertThat(result.output()).isEqualTo(Json.parse("{\"order\": \"o-1\", \"amount\": 42, \"charge\": {\"chargeId\": \"ch_1\"}}"));
    // The day of CoolingOff passed on the virtual clock: the Wait exited 86,400 s after it was entered.
    List<JsonNode> waits = result.history().stream().filter(e -> e.get("type").asText().startsWith("WaitState"))
        .map(e -> (JsonNode) e).toList();
    assertThat(waits.get(1).get("timestamp").decimalValue().subtract(waits.get(0).get("timestamp").decimalValue()))
        .isEqualByComparingTo("86400");
  }

  @Test
  void shouldRetryABusyProcessorThenSucceed(Workflows workflows) {
    ExecutionResult result = workflows.definition(ORDER)
        .mock("ChargeCard", fails("Card.ProcessorBusy", "try again later")
            .thenReturns("{\"Payload\": {\"chargeId\": \"ch_2\"}}"))
        .mock("Ship", returns("{}"))
        .start(INPUT);

    assertThat(result.succeeded()).isTrue();
    assertThat(result.path()).containsExactly("Validate", "ChargeCard", "CoolingOff", "Ship"); // a retry enters no state
    assertThat(result.invocations("ChargeCard")).isEqualTo(2);
    // The same event types GetExecutionHistory shows for a retried Lambda task.
    assertThat(result.historyTypes()).containsSubsequence("TaskScheduled", "TaskFailed", "TaskScheduled", "TaskSucceeded");
    JsonNode failed = result.history().stream().filter(e -> e.get("type").asText().equals("TaskFailed")).findFirst()
        .orElseThrow();
    assertThat(failed.get("taskFailedEventDetails")).isEqualTo(Json.parse("""
        {"resourceType": "lambda", "resource": "invoke", "error": "Card.ProcessorBusy", "cause": "try again later"}"""));
  }

  @Test
  void shouldFailThePaymentWhenTheProcessorStaysBusy(Workflows workflows) {
    MockConfig config = MockConfig.load(Path.of("src/test/resources/MockConfigFile.json"));

    ExecutionResult result = workflows.definition(ORDER).testCase(config, "Order", "ProcessorAlwaysBusy").start(INPUT);

    assertThat(result.status()).isEqualTo("FAILED");
    assertThat(result.error()).isEqualTo("PaymentFailed");
    assertThat(result.invocations("ChargeCard")).isEqualTo(3);
    assertThat(result.path()).containsExactly("Validate", "ChargeCard", "PaymentFailed");
    assertThat(result.historyTypes()).last().isEqualTo("ExecutionFailed");
  }

  @Test
  void shouldRunAStepFunctionsLocalTestCase(Workflows workflows) {
    MockConfig config = MockConfig.load(Path.of("src/test/resources/MockConfigFile.json"));

    ExecutionResult result = workflows.definition(ORDER).testCase(config, "Order", "HappyPath").start(INPUT);

    assertThat(result.succeeded()).isTrue();
    assertThat(result.output().path("charge").path("chargeId").asText()).isEqualTo("ch_1");
  }

  @Test
  void shouldNameATaskStateLeftWithoutAMock(Workflows workflows) {
    Workflow unmocked = workflows.definition(ORDER).mock("ChargeCard", returns("{\"Payload\": {\"chargeId\": \"c\"}}"));

    assertThatThrownBy(() -> unmocked.start(INPUT)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Ship");
    assertThatThrownBy(() -> workflows.definition("{\"StartAt\": \"A\", \"States\": {}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid State Machine Definition");
  }
}
