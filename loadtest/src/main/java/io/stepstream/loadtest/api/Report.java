package io.stepstream.loadtest.api;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The text a run prints: progress lines while it runs, a summary at the end, and the ratio to the
 * raw Kafka produce rate. Pure functions of their arguments; latencies are recorded in
 * microseconds and printed in milliseconds.
 */
public final class Report {

  private Report() {}

  /**
   * One progress line for an interval of a run.
   *
   * @param elapsedSeconds seconds since the measurement started (negative while warming up)
   * @param intervalSeconds length of the interval the counts cover
   * @param completed executions completed in the interval
   * @param errors errors in the interval
   * @param inFlight requests or executions started and not finished yet
   * @param latencyMicros latencies of the interval, microseconds
   */
  public static String progress(double elapsedSeconds, double intervalSeconds, long completed, long errors,
      long inFlight, Histogram latencyMicros) {
    String phase = elapsedSeconds < 0 ? "warmup" : String.format(Locale.ROOT, "%5.1f s", elapsedSeconds);
    return String.format(Locale.ROOT, "[%s] %,10.1f completed/s  errors %,d  in flight %,d  p50 %s  p99 %s  max %s",
        phase, perSecond(completed, intervalSeconds), errors, inFlight,
        millis(latencyMicros, 50), millis(latencyMicros, 99), maxMillis(latencyMicros));
  }

  /**
   * The summary of a measurement window.
   *
   * @param title what ran, e.g. {@code EXPRESS sync @ 1000/s, 16 connections}
   * @param windowSeconds length of the measurement window
   * @param completed executions that completed successfully within the window
   * @param errors failed requests or executions within the window
   * @param unfinished executions started in the window and not finished when the run gave up
   * @param latencyMicros latencies of the successful executions, microseconds
   */
  public static String summary(String title, double windowSeconds, long completed, long errors, long unfinished,
      Histogram latencyMicros) {
    return String.format(Locale.ROOT, """
        %s
          window      %.1f s
          completed   %,d (%,.1f executions/s)
          errors      %,d
          unfinished  %,d
          latency ms  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%,d)""",
        title, windowSeconds, completed, perSecond(completed, windowSeconds), errors, unfinished,
        millis(latencyMicros, 50), millis(latencyMicros, 90), millis(latencyMicros, 99), millis(latencyMicros, 99.9),
        maxMillis(latencyMicros), latencyMicros.getTotalCount());
  }

  /**
   * The raw Kafka produce rate and how many of them one execution per second costs.
   *
   * @param executionsPerSecond completed executions per second through the API
   * @param recordsPerSecond acknowledged records per second of the baseline producer
   * @param recordBytes size of each baseline record's value
   */
  public static String ratio(double executionsPerSecond, double recordsPerSecond, int recordBytes) {
    String baseline = String.format(Locale.ROOT,
        "Kafka produce baseline: %,.0f records/s (%d B values, acks=all, idempotent)", recordsPerSecond, recordBytes);
    if (!(executionsPerSecond > 0) || !(recordsPerSecond > 0)) {
      return baseline + System.lineSeparator() + "ratio executions/s : records/s = n/a";
    }
    return baseline + System.lineSeparator() + String.format(Locale.ROOT,
        "ratio executions/s : records/s = %,.1f : %,.0f = 1 : %.1f (%.4f)", executionsPerSecond, recordsPerSecond,
        recordsPerSecond / executionsPerSecond, executionsPerSecond / recordsPerSecond);
  }

  /**
   * The bare Kafka Streams exactly-once rate ({@link StreamsBaseline}) and how many of its
   * read-modify-writes one execution per second costs; issue 14 asks for at least 1/3.
   */
  public static String streamsRatio(double executionsPerSecond, double readModifyWritesPerSecond) {
    String baseline = String.format(Locale.ROOT,
        "Kafka Streams exactly-once baseline: %,.0f read-modify-writes/s (coordinator settings, one store update and "
            + "one record out per record)", readModifyWritesPerSecond);
    if (!(executionsPerSecond > 0) || !(readModifyWritesPerSecond > 0)) {
      return baseline + System.lineSeparator() + "ratio executions/s : read-modify-writes/s = n/a";
    }
    return baseline + System.lineSeparator() + String.format(Locale.ROOT,
        "ratio executions/s : read-modify-writes/s = %,.1f : %,.0f = %.3f", executionsPerSecond,
        readModifyWritesPerSecond, executionsPerSecond / readModifyWritesPerSecond);
  }

  /** The tasks a workflow's executions ran on workers, per second (the summary's companion line). */
  static String tasks(double executionsPerSecond, int tasksPerExecution) {
    return String.format(Locale.ROOT, "  tasks       %,.1f/s (%d per execution, run by workers)",
        tasksPerExecution * executionsPerSecond, tasksPerExecution);
  }

  /** {@code count / seconds}, 0 for an empty interval. */
  static double perSecond(long count, double seconds) {
    return seconds > 0 ? count / seconds : 0;
  }

  private static String millis(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? "-" : millis(micros.getValueAtPercentile(percentile));
  }

  private static String maxMillis(Histogram micros) {
    return micros.getTotalCount() == 0 ? "-" : millis(micros.getMaxValue());
  }

  private static String millis(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000d);
  }
}
