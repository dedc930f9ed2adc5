package io.stepstream.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.util.Objects;

/**
 * Fails a task with an ASL error name, matched by {@code Retry} and {@code Catch}
 * {@code ErrorEquals}, and a cause.
 *
 * <p>Thrown by {@link TaskHandler}s. It carries no stack trace: it is an expected outcome, not a bug.
 * Names starting with {@code States.} are reserved by the language; use your own
 * ({@code "Payment.Declined"}, {@code "Throttled"}).
 */
public class TaskFailure extends RuntimeException {

  private final String error;
  private final String cause;

  /**
   * @param error the error name; not null
   * @param cause the cause text, free form (often JSON); not null
   */
  public TaskFailure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = Objects.requireNonNull(error, "error");
    this.cause = Objects.requireNonNull(cause, "cause");
  }

  /** The error name. */
  public String error() {
    return error;
  }

  /** The cause text. */
  public String cause() {
    return cause;
  }

  /**
   * The failure a handler's exception stands for. A {@link TaskFailure} is itself; any other
   * exception is reported as the AWS Lambda Java runtime reports an unhandled one: the error is the
   * exception's class name ({@code java.lang.IllegalStateException}) and the cause is
   * {@code {"errorMessage": <message>, "errorType": <class name>}}.
   *
   * @param thrown what the handler threw; not null
   */
  public static TaskFailure of(Throwable thrown) {
    if (thrown instanceof TaskFailure failure) {
      return failure;
    }
    String type = thrown.getClass().getName();
    ObjectNode cause = Json.object().put("errorMessage", Objects.requireNonNullElse(thrown.getMessage(), ""))
        .put("errorType", type);
    return new TaskFailure(type, Json.write(cause));
  }
}
