package io.stepstream.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs handlers in memory, without Kafka or an execution, for unit tests:
 *
 * <pre>{@code
 * TaskTestEnvironment env = TaskTestEnvironment.of(handlers).attempt(2);
 * TaskTestEnvironment.Outcome outcome = env.run("charge", "{\"orderId\": \"o-1\", \"amount\": 30}");
 * assertThat(outcome.failed()).isFalse();
 * }</pre>
 *
 * Each run gets a context whose fields the environment sets (execution ARN, state name, attempt,
 * idempotency key), counts heartbeats and can be cancelled up front. Not thread-safe.
 */
public final class TaskTestEnvironment {

  private final TaskHandlers handlers;
  private String executionArn = "arn:aws:states:us-east-1:123456789012:execution:test:test-run";
  private String stateName = "Task";
  private int attempt = 1;
  private boolean cancelled;

  private TaskTestEnvironment(TaskHandlers handlers) {
    this.handlers = Objects.requireNonNull(handlers);
  }

  /** An environment running these handlers. */
  public static TaskTestEnvironment of(TaskHandlers handlers) {
    return new TaskTestEnvironment(handlers);
  }

  /** An environment running one handler registered as {@code "handler"}. */
  public static <I, O> TaskTestEnvironment of(Class<I> inputType, TaskHandler<I, O> handler) {
    return new TaskTestEnvironment(TaskHandlers.builder().register("handler", inputType, handler).build());
  }

  /** Sets the execution ARN the context reports. */
  public TaskTestEnvironment executionArn(String value) {
    this.executionArn = value;
    return this;
  }

  /** Sets the state name the context reports. */
  public TaskTestEnvironment stateName(String value) {
    this.stateName = value;
    return this;
  }

  /** Sets the attempt the context reports (1 = first). */
  public TaskTestEnvironment attempt(int value) {
    this.attempt = value;
    return this;
  }

  /** Makes the context report cancellation from the start. */
  public TaskTestEnvironment cancelled(boolean value) {
    this.cancelled = value;
    return this;
  }

  /** Runs the only handler of {@link #of(Class, TaskHandler)} with a JSON payload. */
  public Outcome run(String payloadJson) {
    return run("handler", payloadJson);
  }

  /**
   * Runs a handler with a JSON payload and reports what it did.
   *
   * @param functionName a registered handler's name
   * @param payloadJson the payload, JSON text
   */
  public Outcome run(String functionName, String payloadJson) {
    Context context = new Context();
    JsonNode payload = Json.parse(payloadJson);
    try {
      JsonNode output = handlers.invoke(functionName, payload, context);
      return new Outcome(output, null, null, context.heartbeats.get());
    } catch (TaskFailure failure) {
      return new Outcome(null, failure.error(), failure.cause(), context.heartbeats.get());
    }
  }

  /**
   * What a run did.
   *
   * @param output the result (null when the task failed)
   * @param error the error name (null when it succeeded)
   * @param cause the cause (null when it succeeded)
   * @param heartbeats how many times the handler called {@link TaskContext#heartbeat()}
   */
  public record Outcome(JsonNode output, String error, String cause, int heartbeats) {
    /** Whether the task failed. */
    public boolean failed() {
      return error != null;
    }
  }

  private final class Context implements TaskContext {
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final AtomicBoolean cancel = new AtomicBoolean(cancelled);

    @Override
    public String executionArn() {
      return executionArn;
    }

    @Override
    public String stateName() {
      return stateName;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public String idempotencyKey() {
      return executionArn + "/" + stateName + "/" + attempt;
    }

    @Override
    public String taskToken() {
      return "test-token";
    }

    @Override
    public void heartbeat() {
      heartbeats.incrementAndGet();
    }

    @Override
    public boolean isCancelled() {
      return cancel.get();
    }
  }
}
