package io.stepstream.loadtest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateScheduleTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void shouldSpaceRequestsEvenlyFromTheStart() {
    RateSchedule schedule = RateSchedule.perSecond(1000);

    assertThat(schedule.dueNanos(0)).isZero();
    assertThat(schedule.dueNanos(1)).isEqualTo(1_000_000L);
    assertThat(schedule.dueNanos(1000)).isEqualTo(SECOND);
  }

  @Test
  void shouldCountTheFirstRequestAsDueAtOnce() {
    RateSchedule schedule = RateSchedule.perSecond(1000);

    assertThat(schedule.dueBy(-1)).isZero();
    assertThat(schedule.dueBy(0)).isEqualTo(1);
    assertThat(schedule.dueBy(999_999)).isEqualTo(1);
    assertThat(schedule.dueBy(1_000_000)).isEqualTo(2);
  }

  @Test
  void shouldAgreeBetweenDueTimesAndDueCountsForAwkwardRates() {
    RateSchedule schedule = RateSchedule.perSecond(3333.3);

    for (long i = 0; i < 20_000; i++) {
      long due = schedule.dueNanos(i);
      assertThat(schedule.dueBy(due)).as("due count at request %d's due time", i).isEqualTo(i + 1);
      if (due > 0) {
        assertThat(schedule.dueBy(due - 1)).as("due count just before request %d", i).isEqualTo(i);
      }
    }
  }

  @Test
  void shouldSendRateTimesDurationRequestsInARun() {
    assertThat(RateSchedule.perSecond(1000).total(30 * SECOND)).isEqualTo(30_000);
    assertThat(RateSchedule.perSecond(0.5).total(10 * SECOND)).isEqualTo(5);
    assertThat(RateSchedule.perSecond(1000).total(0)).isZero();
  }

  @Test
  void shouldKeepTheScheduleWhenRequestsAreLate() {
    // Open loop: after a 100 ms stall, the 100 requests due meanwhile are all due now, not later.
    RateSchedule schedule = RateSchedule.perSecond(1000);

    assertThat(schedule.dueBy(100_000_000L) - schedule.dueBy(0)).isEqualTo(100);
  }

  @Test
  void shouldRefuseRatesThatAreNotPositive() {
    assertThatThrownBy(() -> RateSchedule.perSecond(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateSchedule.perSecond(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RateSchedule.perSecond(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
