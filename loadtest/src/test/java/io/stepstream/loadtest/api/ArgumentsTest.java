package io.stepstream.loadtest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

  @Test
  void shouldReadDurationsWithUnits() {
    assertThat(Arguments.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Arguments.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Arguments.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Arguments.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Arguments.duration("0")).isEqualTo(Duration.ZERO);
    assertThat(Arguments.duration("PT10S")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldRefuseWhatIsNotADuration() {
    assertThatThrownBy(() -> Arguments.duration("thirty")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Arguments.duration("10d")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldReadRatesAndMax() {
    assertThat(Arguments.rate("1000")).isEqualTo(1000.0);
    assertThat(Arguments.rate("6_000")).isEqualTo(6000.0);
    assertThat(Arguments.rate("MAX")).isInfinite();
    assertThatThrownBy(() -> Arguments.rate("0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Arguments.rate("fast")).isInstanceOf(IllegalArgumentException.class);
  }
}
