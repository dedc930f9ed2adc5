package io.stepstream.asl.intrinsics;

import static io.stepstream.asl.intrinsics.Intrinsics.assertInvalid;
import static io.stepstream.asl.intrinsics.Intrinsics.eval;
import static io.stepstream.asl.intrinsics.Intrinsics.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrayFunctionsTest {

  @Test
  void shouldBuildArraysOfAnyValues() {
    assertThat(eval("States.Array($.a, $.b)", "{\"a\":{\"x\":[]},\"b\":null}")).isEqualTo(json("[{\"x\":[]},null]"));
  }

  @Test
  void shouldPartitionWithAShorterLastChunk() {
    assertThat(eval("States.ArrayPartition($.a, 3)", "{\"a\":[0,1,2,3]}")).isEqualTo(json("[[0,1,2],[3]]"));
    assertThat(eval("States.ArrayPartition($.a, 5)", "{\"a\":[0,1]}")).isEqualTo(json("[[0,1]]"));
    assertThat(eval("States.ArrayPartition($.a, 1)", "{\"a\":[]}")).isEqualTo(json("[]"));
  }

  @Test
  void shouldTruncateAFractionalChunkSize() {
    assertThat(eval("States.ArrayPartition($.a, 2.6)", "{\"a\":[1,2,3,4,5]}")).isEqualTo(json("[[1,2],[3,4],[5]]"));
  }

  @Test
  void shouldRejectBadPartitionArguments() {
    assertInvalid("States.ArrayPartition(States.Array(1), 0)", "States.ArrayPartition");
    assertInvalid("States.ArrayPartition(States.Array(1), 0.6)", "States.ArrayPartition");
    assertInvalid("States.ArrayPartition(States.Array(1), -1)", "States.ArrayPartition");
    assertInvalid("States.ArrayPartition('x', 2)", "States.ArrayPartition");
    assertInvalid("States.ArrayPartition(States.Array(1), '2')", "States.ArrayPartition");
    assertInvalid("States.ArrayPartition(States.Array(1))", "States.ArrayPartition");
  }

  @Test
  void shouldTellWhetherAnArrayContainsAValue() {
    String input = "{\"a\":[1,\"x\",{\"k\":[1]},null]}";
    assertThat(eval("States.ArrayContains($.a, 'x')", input).booleanValue()).isTrue();
    assertThat(eval("States.ArrayContains($.a, $.a[2])", input).booleanValue()).isTrue();
    assertThat(eval("States.ArrayContains($.a, 1.0)", input).booleanValue()).isTrue();
    assertThat(eval("States.ArrayContains($.a, null)", input).booleanValue()).isTrue();
    assertThat(eval("States.ArrayContains($.a, 'y')", input).booleanValue()).isFalse();
    assertInvalid("States.ArrayContains('x', 'x')", "States.ArrayContains");
  }

  @Test
  void shouldBuildInclusiveRanges() {
    assertThat(eval("States.ArrayRange(0, 10, 3)")).isEqualTo(json("[0,3,6,9]"));
    assertThat(eval("States.ArrayRange(1, 9, 2)")).isEqualTo(json("[1,3,5,7,9]"));
    assertThat(eval("States.ArrayRange(5, 1, -2)")).isEqualTo(json("[5,3,1]"));
    assertThat(eval("States.ArrayRange(3, 3, -1)")).isEqualTo(json("[3]"));
    assertThat(eval("States.ArrayRange(5, 1, 1)")).isEqualTo(json("[]"));
    assertThat(eval("States.ArrayRange(1.6, 1.4, 1)")).isEqualTo(json("[1]"));
  }

  @Test
  void shouldCapRangesAtOneThousandItems() {
    assertThat(eval("States.ArrayRange(1, 1000, 1)").size()).isEqualTo(1000);
    assertThat(eval("States.ArrayRange(1000, 1, -1)").size()).isEqualTo(1000);
    assertInvalid("States.ArrayRange(1, 1001, 1)", "States.ArrayRange");
    assertInvalid("States.ArrayRange(1001, 1, -1)", "States.ArrayRange");
  }

  @Test
  void shouldRejectBadRangeArguments() {
    assertInvalid("States.ArrayRange(1, 10, 0)", "States.ArrayRange");
    assertInvalid("States.ArrayRange(1, 10, 0.49)", "States.ArrayRange");
    assertInvalid("States.ArrayRange('a', 5, 1)", "States.ArrayRange");
    assertInvalid("States.ArrayRange(1, 5)", "States.ArrayRange");
    assertInvalid("States.ArrayRange(1, 5, 1, 9)", "States.ArrayRange");
  }

  @Test
  void shouldGetItemsByTruncatedIndex() {
    String input = "{\"a\":[1,2,3,4,5,6,7,8,9]}";
    assertThat(eval("States.ArrayGetItem($.a, 5)", input)).isEqualTo(json("6"));
    assertThat(eval("States.ArrayGetItem($.a, 1.2)", input)).isEqualTo(json("2"));
    assertThat(eval("States.ArrayGetItem($.a, 999)", "{\"a\":[]}").isNull()).isTrue();
  }

  @Test
  void shouldRejectOutOfRangeIndexes() {
    assertInvalid("States.ArrayGetItem(States.Array(1,2,3), 3)", "States.ArrayGetItem");
    assertInvalid("States.ArrayGetItem(States.Array(1,2,3), -1)", "States.ArrayGetItem");
    assertInvalid("States.ArrayGetItem(States.Array(1,2,3), '1')", "States.ArrayGetItem");
    assertInvalid("States.ArrayGetItem('abc', 0)", "States.ArrayGetItem");
  }

  @Test
  void shouldCountItems() {
    assertThat(eval("States.ArrayLength($.a)", "{\"a\":[null,null,[],{}]}")).isEqualTo(json("4"));
    assertInvalid("States.ArrayLength('abc')", "States.ArrayLength");
  }

  @Test
  void shouldRemoveDuplicatesKeepingFirstOccurrences() {
    assertThat(eval("States.ArrayUnique($.a)",
        "{\"a\":[null,null,true,1,1,1.1,\"x\",\"x\",[],[],{\"a\":1,\"b\":2},{\"a\":1,\"b\":2},{\"a\":1},true]}"))
        .isEqualTo(json("[null,true,1,1.1,\"x\",[],{\"a\":1,\"b\":2},{\"a\":1}]"));
    assertInvalid("States.ArrayUnique(1)", "States.ArrayUnique");
  }
}
