package io.stepstream.worker.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NestedExecutionResourceTest {

  @Test
  void shouldDrawTheSameAliasNumberEachTimeTheSameTaskRuns() {
    String key = "arn:aws:states:us-east-1:123456789012:execution:parent:run#7";

    assertThat(IntStream.range(0, 10).map(i -> NestedExecutionResource.aliasDraw(key)).distinct().toArray())
        .containsExactly(NestedExecutionResource.aliasDraw(key));
  }

  @Test
  void shouldSpreadTheDrawsOfDifferentTasksOverZeroToNinetyNine() {
    int[] counts = new int[100];
    int tasks = 100_000;
    for (int i = 0; i < tasks; i++) {
      counts[NestedExecutionResource.aliasDraw("arn:aws:states:us-east-1:123456789012:execution:parent:run-" + i + "#3")]++;
    }

    // Each number is expected 1,000 times (standard deviation 31.5): [800, 1200] is more than six
    // deviations either way. The keys are fixed, so this checks one deterministic outcome.
    assertThat(IntStream.of(counts).min().orElseThrow()).isGreaterThan(800);
    assertThat(IntStream.of(counts).max().orElseThrow()).isLessThan(1200);
    // A 90/10 alias takes its second version for draws 90..99: about a tenth of the tasks.
    assertThat(IntStream.range(90, 100).map(d -> counts[d]).sum()).isBetween(9_400, 10_600);
  }
}
