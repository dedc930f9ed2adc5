package io.stepstream.asl.errors;

/**
 * A runtime ASL error raised while evaluating a state's data flow (a path that matches nothing, an
 * intrinsic given wrong arguments, a JSONata expression that fails).
 *
 * <p>It is thrown only inside the evaluation of one state and caught at one place, the state
 * handler's boundary, where it becomes a failure value (an event), so it never escapes the
 * interpreter. {@code location} is the field that failed ("Parameters", "Assign/result"), when known,
 * for the {@code EvaluationFailed} event that JSONata errors produce.
 */
public final class StatesException extends RuntimeException {
  private final String error;
  private final String cause;
  private final String location;

  public StatesException(String error, String cause) {
    this(error, cause, null);
  }

  public StatesException(String error, String cause, String location) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
    this.location = location;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }

  /** The failing field, or null. */
  public String location() {
    return location;
  }

  public static StatesException runtime(String cause) {
    return new StatesException(StatesErrors.RUNTIME, cause);
  }

  public static StatesException intrinsicFailure(String cause) {
    return new StatesException(StatesErrors.INTRINSIC_FAILURE, cause);
  }

  public static StatesException queryEvaluation(String cause, String location) {
    return new StatesException(StatesErrors.QUERY_EVALUATION_ERROR, cause, location);
  }
}
