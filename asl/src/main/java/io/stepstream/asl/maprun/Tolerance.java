package io.stepstream.asl.maprun;

/**
 * The tolerated-failure rule of a map run. Without ToleratedFailureCount or ToleratedFailurePercentage
 * the first failed item fails the run. A count is checked as items fail; a percentage of all items
 * can be checked only once every item is known (the reader is exhausted), so until then a run that is
 * over its count but has a percentage waits for the total.
 */
public final class Tolerance {

  private Tolerance() {}

  /**
   * Whether the failures exceed the threshold.
   *
   * @param failed items that failed, timed out or were aborted
   * @param total items read so far
   * @param complete whether {@code total} is every item of the run
   */
  public static boolean exceeded(long failed, long total, boolean complete, boolean countSet, long count,
      boolean percentageSet, double percentage) {
    if (failed == 0) {
      return false;
    }
    if (countSet && failed <= count) {
      return false;
    }
    if (!percentageSet) {
      return true;
    }
    if (!complete) {
      return false;
    }
    return total == 0 || failed * 100.0 / total > percentage;
  }

  /** The cause AWS gives States.ExceedToleratedFailureThreshold. */
  public static final String CAUSE = "The specified tolerated failure threshold was exceeded";
}
