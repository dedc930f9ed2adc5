package io.stepstream.asl.retry;

import io.stepstream.asl.errors.StatesErrors;
import java.util.List;

/** Whether an ErrorEquals list matches an error name, with the States Language wildcards. */
public final class ErrorMatcher {

  private ErrorMatcher() {}

  /**
   * True when {@code errorEquals} matches {@code error}.
   *
   * <p>{@code States.ALL} matches every error but the terminal ones ({@code States.Runtime},
   * {@code States.DataLimitExceeded}), which only an explicit name matches; {@code States.TaskFailed}
   * matches every error but {@code States.Timeout} and those terminal ones.
   */
  public static boolean matches(List<String> errorEquals, String error) {
    for (String name : errorEquals) {
      if (name.equals(error)) {
        return true;
      }
      if (isTerminal(error)) {
        continue;
      }
      if (StatesErrors.ALL.equals(name)) {
        return true;
      }
      if (StatesErrors.TASK_FAILED.equals(name) && !StatesErrors.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  /** Errors that end an execution whatever its Retry and Catch rules say (unless named exactly). */
  public static boolean isTerminal(String error) {
    return StatesErrors.RUNTIME.equals(error) || StatesErrors.DATA_LIMIT_EXCEEDED.equals(error);
  }
}
