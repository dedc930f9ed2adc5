package io.stepstream.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.worker.examples.OrderSaga;
import org.junit.jupiter.api.Test;

class TaskTestEnvironmentTest {

  record Charge(String orderId, long amountCents) {}

  record Receipt(String orderId, String reference) {}

  @Test
  void shouldConvertTypedInputAndOutputIgnoringUnknownFields() {
    TaskTestEnvironment env = TaskTestEnvironment.of(Charge.class,
        (Charge charge, TaskContext context) -> new Receipt(charge.orderId(), "C-" + charge.amountCents()));

    TaskTestEnvironment.Outcome outcome = env.run("{\"orderId\": \"o-1\", \"amountCents\": 30, \"extra\": true}");

    assertThat(outcome.failed()).isFalse();
    assertThat(outcome.output()).isEqualTo(Json.parse("{\"orderId\": \"o-1\", \"reference\": \"C-30\"}"));
  }

  @Test
  void shouldReportATaskFailureWithItsErrorAndCause() {
    TaskTestEnvironment env = TaskTestEnvironment.of(JsonNode.class, (JsonNode input, TaskContext context) -> {
      throw new TaskFailure("Payment.Declined", "card expired");
    });

    TaskTestEnvironment.Outcome outcome = env.run("{}");

    assertThat(outcome.error()).isEqualTo("Payment.Declined");
    assertThat(outcome.cause()).isEqualTo("card expired");
  }

  @Test
  void shouldMapAnUnknownExceptionAsTheLambdaJavaRuntimeDoes() {
    TaskTestEnvironment env = TaskTestEnvironment.of(JsonNode.class, (JsonNode input, TaskContext context) -> {
      throw new IllegalStateException("boom");
    });

    TaskTestEnvironment.Outcome outcome = env.run("{}");

    assertThat(outcome.error()).isEqualTo("java.lang.IllegalStateException");
    assertThat(Json.parse(outcome.cause())).isEqualTo(
        Json.parse("{\"errorMessage\": \"boom\", \"errorType\": \"java.lang.IllegalStateException\"}"));
  }

  @Test
  void shouldGiveTheHandlerItsContextAndCountHeartbeats() {
    TaskTestEnvironment env = TaskTestEnvironment.of(JsonNode.class, (JsonNode input, TaskContext context) -> {
      context.heartbeat();
      context.heartbeat();
      return Json.object().put("attempt", context.attempt()).put("state", context.stateName())
          .put("key", context.idempotencyKey()).put("cancelled", context.isCancelled());
    }).attempt(3).stateName("Charge").cancelled(true);

    TaskTestEnvironment.Outcome outcome = env.run("{}");

    assertThat(outcome.heartbeats()).isEqualTo(2);
    assertThat(outcome.output().get("attempt").asInt()).isEqualTo(3);
    assertThat(outcome.output().get("state").asText()).isEqualTo("Charge");
    assertThat(outcome.output().get("key").asText()).endsWith("/Charge/3");
    assertThat(outcome.output().get("cancelled").asBoolean()).isTrue();
  }

  @Test
  void shouldReturnItemResultsOfABatchThatFullySucceeded() {
    TaskHandlers handlers = TaskHandlers.builder().registerBatch("double", Integer.class,
        (Batch<Integer> batch, TaskContext context) -> {
          BatchResult.Builder<Integer> result = BatchResult.builder();
          for (int i = 0; i < batch.items().size(); i++) {
            result.succeeded(i, batch.items().get(i) * 2);
          }
          return result.build();
        }).build();

    TaskTestEnvironment.Outcome outcome = TaskTestEnvironment.of(handlers).run("double", "{\"Items\": [1, 2, 3]}");

    assertThat(outcome.output()).isEqualTo(Json.parse("[2, 4, 6]"));
  }

  @Test
  void shouldFailABatchPartiallyListingBothSides() {
    TaskHandlers handlers = TaskHandlers.builder().registerBatch("positive", Integer.class,
        (Batch<Integer> batch, TaskContext context) -> {
          BatchResult.Builder<Integer> result = BatchResult.builder();
          for (int i = 0; i < batch.items().size(); i++) {
            int item = batch.items().get(i);
            if (item > 0) {
              result.succeeded(i, item);
            } else {
              result.failed(i, "NotPositive", "item " + item);
            }
          }
          return result.build();
        }).build();

    TaskTestEnvironment.Outcome outcome = TaskTestEnvironment.of(handlers)
        .run("positive", "{\"Items\": [5, -1], \"BatchInput\": {\"x\": 1}}");

    assertThat(outcome.error()).isEqualTo(BatchResult.PARTIAL_FAILURE);
    assertThat(Json.parse(outcome.cause())).isEqualTo(Json.parse("""
        {"SucceededItems": [{"Index": 0, "Output": 5}],
         "FailedItems": [{"Index": 1, "Error": "NotPositive", "Cause": "item -1"}]}"""));
  }

  @Test
  void shouldRetryThrottledChargesInTheExampleUntilTheAttemptAllows() {
    TaskHandlers handlers = OrderSaga.handlers(new OrderSaga.Ledger());
    String order = "{\"orderId\": \"o-1\", \"throttle\": 1}";

    assertThat(TaskTestEnvironment.of(handlers).attempt(1).run("charge", order).error()).isEqualTo("Payment.Throttled");
    assertThat(TaskTestEnvironment.of(handlers).attempt(2).run("charge", order).output().get("reference").asText())
        .isEqualTo("C-o-1");
  }

  @Test
  void shouldResolveFunctionNamesFromEveryFormLambdaAccepts() {
    assertThat(TaskHandlers.functionName("charge")).isEqualTo("charge");
    assertThat(TaskHandlers.functionName("charge:live")).isEqualTo("charge");
    assertThat(TaskHandlers.functionName("arn:aws:lambda:us-east-1:123456789012:function:charge")).isEqualTo("charge");
    assertThat(TaskHandlers.functionName("arn:aws:lambda:us-east-1:123456789012:function:charge:$LATEST"))
        .isEqualTo("charge");
    assertThat(TaskHandlers.functionName("123456789012:function:charge")).isEqualTo("charge");
  }

  @Test
  void shouldRefuseTheSameFunctionNameTwice() {
    TaskHandlers.Builder builder = TaskHandlers.builder().register("a", JsonNode.class, (JsonNode in, TaskContext c) -> in);

    assertThatThrownBy(() -> builder.register("a", JsonNode.class, (JsonNode in, TaskContext c) -> in))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
