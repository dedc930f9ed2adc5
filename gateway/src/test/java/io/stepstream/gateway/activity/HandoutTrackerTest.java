package io.stepstream.gateway.activity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

class HandoutTrackerTest {

  @Test
  void shouldCommitTheFirstTaskNotHandedOutAndTheOnesHandedOutAfterIt() {
    HandoutTracker tracker = new HandoutTracker(null);
    assertThat(tracker.current()).isNull();
    for (long offset = 10; offset < 20; offset++) {
      assertThat(tracker.read(offset)).isTrue();
    }
    // Tasks of other activities in the same partition are handed out first.
    for (long offset : new long[] {10, 11, 13, 16, 17, 18}) {
      tracker.handedOut(offset);
    }

    assertThat(tracker.current()).isEqualTo(new OffsetAndMetadata(12, "handed-out:1,4-6"));
    assertThat(tracker.changed()).isEqualTo(new OffsetAndMetadata(12, "handed-out:1,4-6"));
    assertThat(tracker.changed()).isNull();
    tracker.handedOut(12);
    assertThat(tracker.changed()).isEqualTo(new OffsetAndMetadata(14, "handed-out:2-4"));
  }

  @Test
  void shouldPassOverWhatTheFormerHolderHandedOut() {
    // The former holder read up to 19, handed out 13 and 16-18, and kept 12, 14, 15 and 19.
    HandoutTracker next = new HandoutTracker(new OffsetAndMetadata(12, "handed-out:1,4-6"));
    List<Long> toHandOut = new ArrayList<>();
    for (long offset = 12; offset < 22; offset++) {
      if (next.read(offset)) {
        toHandOut.add(offset);
      }
    }

    assertThat(toHandOut).containsExactly(12L, 14L, 15L, 19L, 20L, 21L);
    next.handedOut(20);
    assertThat(next.current()).isEqualTo(new OffsetAndMetadata(12, "handed-out:1,4-6,8"));
  }

  @Test
  void shouldKeepTheFormerHoldersHandOutsItHasNotReadYet() {
    HandoutTracker next = new HandoutTracker(new OffsetAndMetadata(12, "handed-out:1,4-6"));
    assertThat(next.read(12)).isTrue();

    // Moved on again before reading further: the next holder still passes over 13 and 16-18.
    assertThat(next.current()).isEqualTo(new OffsetAndMetadata(12, "handed-out:1,4-6"));
  }

  @Test
  void shouldCutTheListWhereItNoLongerFitsACommit() {
    HandoutTracker tracker = new HandoutTracker(null);
    for (long offset = 0; offset < 20_000; offset++) {
      tracker.read(offset);
      if (offset % 2 == 1) {
        tracker.handedOut(offset);
      }
    }

    OffsetAndMetadata commit = tracker.current();
    assertThat(commit.offset()).isZero();
    assertThat(commit.metadata()).startsWith("handed-out:1,3,5,").hasSizeLessThanOrEqualTo(HandoutTracker.MAX_METADATA_CHARS);
  }

  @Test
  void shouldIgnoreMetadataThatIsNotItsOwn() {
    assertThat(HandoutTracker.parse(new OffsetAndMetadata(5, ""))).isEmpty();
    assertThat(HandoutTracker.parse(new OffsetAndMetadata(5, "something else"))).isEmpty();
    assertThat(HandoutTracker.parse(new OffsetAndMetadata(5, "handed-out:x"))).isEmpty();
    assertThat(HandoutTracker.parse(new OffsetAndMetadata(5, "handed-out:1,3-4"))).containsEntry(6L, 6L)
        .containsEntry(8L, 9L);
  }
}
