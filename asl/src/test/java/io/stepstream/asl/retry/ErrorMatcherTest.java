package io.stepstream.asl.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.definition.Retrier;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorMatcherTest {

  @Test
  void shouldMatchAnyErrorWithStatesAllButTheTerminalOnes() {
    assertThat(ErrorMatcher.matches(List.of("States.ALL"), "Custom")).isTrue();
    assertThat(ErrorMatcher.matches(List.of("States.ALL"), "States.Timeout")).isTrue();
    assertThat(ErrorMatcher.matches(List.of("States.ALL"), "States.DataLimitExceeded")).isFalse();
    assertThat(ErrorMatcher.matches(List.of("States.ALL"), "States.Runtime")).isFalse();
  }

  @Test
  void shouldMatchDataLimitExceededOnlyByNameAndRuntimeNever() {
    assertThat(ErrorMatcher.matches(List.of("States.DataLimitExceeded"), "States.DataLimitExceeded")).isTrue();
    assertThat(ErrorMatcher.matches(List.of("States.Runtime"), "States.Runtime")).isFalse();
  }

  @Test
  void shouldMatchEveryErrorButTimeoutWithTaskFailed() {
    assertThat(ErrorMatcher.matches(List.of("States.TaskFailed"), "Lambda.ServiceException")).isTrue();
    assertThat(ErrorMatcher.matches(List.of("States.TaskFailed"), "States.Timeout")).isFalse();
    assertThat(ErrorMatcher.matches(List.of("Other", "States.Timeout"), "States.Timeout")).isTrue();
  }

  @Test
  void shouldGrowTheDelayByTheBackoffRateAndCapItAtMaxDelay() {
    Retrier retrier = new Retrier(List.of("X"), 2, 5, 3.0, 10, false);
    assertThat(RetryDelay.millis(retrier, 1, 7)).isEqualTo(2_000);
    assertThat(RetryDelay.millis(retrier, 2, 7)).isEqualTo(6_000);
    assertThat(RetryDelay.millis(retrier, 3, 7)).isEqualTo(10_000);
  }

  @Test
  void shouldRetryWithFullJitterWithinTheDelayAndTheSameForTheSameSeed() {
    Retrier retrier = new Retrier(List.of("X"), 4, 5, 2.0, 0, true);
    long first = RetryDelay.millis(retrier, 2, 42);
    assertThat(first).isBetween(0L, 8_000L);
    assertThat(RetryDelay.millis(retrier, 2, 42)).isEqualTo(first);
    assertThat(List.of(1L, 2L, 3L, 4L, 5L).stream().map(seed -> RetryDelay.millis(retrier, 2, seed)).distinct().count())
        .isGreaterThan(1);
  }
}
