package io.stepstream.loadtest.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTest {

  private static Histogram micros(long... values) {
    Histogram histogram = new Histogram(3_600_000_000L, 3);
    for (long value : values) {
      histogram.recordValue(value);
    }
    return histogram;
  }

  @Test
  void shouldSummariseThroughputErrorsAndPercentilesInMilliseconds() {
    Histogram latencies = new Histogram(3_600_000_000L, 3);
    for (int i = 1; i <= 100; i++) {
      // 0.01 ms .. 1 ms: below 2048 us the histogram stores values exactly.
      latencies.recordValue(i * 10L);
    }

    String summary = Report.summary("express-sync @ 1,000/s", 10.0, 100, 2, 1, latencies);

    assertThat(summary).startsWith("express-sync @ 1,000/s\n")
        .contains("completed   100 (10.0 executions/s)")
        .contains("errors      2")
        .contains("unfinished  1")
        .contains("p50 0.50")
        .contains("p90 0.90")
        .contains("p99 0.99")
        .contains("max 1.00")
        .contains("(n=100)");
  }

  @Test
  void shouldShowDashesForAnEmptyHistogram() {
    String summary = Report.summary("standard @ max", 30.0, 0, 5, 0, micros());

    assertThat(summary).contains("completed   0 (0.0 executions/s)").contains("p50 -").contains("max -");
  }

  @Test
  void shouldPrintIntervalRateAndMarkTheWarmup() {
    String warmup = Report.progress(-3.0, 5.0, 5_000, 0, 12, micros(2_000, 4_000));
    String measured = Report.progress(10.0, 5.0, 30_000, 3, 7, micros(2_500));

    assertThat(warmup).startsWith("[warmup]").contains("1,000.0 completed/s").contains("in flight 12");
    assertThat(measured).startsWith("[ 10.0 s]").contains("6,000.0 completed/s").contains("errors 3")
        .contains("p50 2.50").contains("max 2.50");
  }

  @Test
  void shouldPrintTheRatioOfExecutionsToKafkaRecords() {
    String ratio = Report.ratio(5_000, 100_000, 200);

    assertThat(ratio).contains("Kafka produce baseline: 100,000 records/s (200 B values, acks=all, idempotent)")
        .contains("ratio executions/s : records/s = 5,000.0 : 100,000 = 1 : 20.0 (0.0500)");
  }

  @Test
  void shouldNotDivideByZeroWhenNothingCompleted() {
    assertThat(Report.ratio(0, 100_000, 200)).endsWith("= n/a");
  }
}
