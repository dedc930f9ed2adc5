package io.stepstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void shouldCommitOnlyUpToTheFirstUnfinishedOffset() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(10);
    tracker.started(11);
    tracker.started(12);

    tracker.finished(11);
    tracker.finished(12);
    assertThat(tracker.committable()).isEqualTo(10);

    tracker.finished(10);
    assertThat(tracker.committable()).isEqualTo(13);
    tracker.committed(13);
    assertThat(tracker.committable()).isEqualTo(-1);
  }

  /** A commit that was asked for but failed (a rebalance in progress) is offered again. */
  @Test
  void shouldOfferAnOffsetAgainUntilItsCommitIsAcknowledged() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.started(5);
    tracker.finished(5);

    assertThat(tracker.committable()).isEqualTo(6);
    assertThat(tracker.committable()).as("the first commit failed").isEqualTo(6);
    tracker.committed(6);
    assertThat(tracker.committable()).isEqualTo(-1);
  }
}
