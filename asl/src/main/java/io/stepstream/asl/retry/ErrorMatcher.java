package io.stepstream.asl.retry;

import io.stepstream.asl.errors.StatesErrors;
import java.util.List;

/** Whether an ErrorEquals list matches an error name, with the States Language wildcards. */
public final class ErrorMatcher {

  private ErrorMatcher() {}

  /**
   * True when {@code errorEquals} matches {@code error}, for Retry and Catch alike.
   *
   * <p>{@code States.Runtime} matches nothing: AWS documents runtime errors as always failing the
   * execution. {@code States.DataLimitExceeded} matches only when named: the wildcards do not catch it.
   * {@code States.ALL} matches every other error; {@code States.TaskFailed} every other error but
   * {@code States.Timeout}.
   */
  public static boolean matches(List<String> errorEquals, String error) {
    if (StatesErrors.RUNTIME.equals(error)) {
      return false;
    }
    for (String name : errorEquals) {
      if (name.equals(error)) {
        return true;
      }
      if (StatesErrors.DATA_LIMIT_EXCEEDED.equals(error)) {
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
}
