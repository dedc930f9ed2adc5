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
    assertThat(tracker.committable()).isEqualTo(-1);
  }
}
