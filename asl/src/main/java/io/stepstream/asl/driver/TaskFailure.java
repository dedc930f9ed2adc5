package io.stepstream.asl.driver;

/**
 * Thrown by a task handler of the {@link InMemoryDriver} to fail the task with an ASL error name
 * (matched by {@code Retry}/{@code Catch} {@code ErrorEquals}) and a cause.
 *
 * <p>It carries no stack trace: it is an expected outcome of a task, not a bug.
 */
public final class TaskFailure extends RuntimeException {

  private final String error;
  private final String cause;

  /**
   * @param error the error name, e.g. {@code "Lambda.ServiceException"} or a custom name; not null
   * @param cause the cause text; may be empty, not null
   */
  public TaskFailure(String error, String cause) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.cause = cause;
  }

  /** The error name the task failed with. */
  public String error() {
    return error;
  }

  /** The cause text the task failed with. */
  public String cause() {
    return cause;
  }
}
