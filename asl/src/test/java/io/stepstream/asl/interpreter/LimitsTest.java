package io.stepstream.asl.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LimitsTest {

  /** The count without encoding agrees with the encoder around the limit, for every width of char. */
  @Test
  void shouldCountPayloadBytesAsUtf8Does() {
    Limits limits = new Limits(64);
    SplittableRandom random = new SplittableRandom(7);
    List<String> pieces = List.of("a", "é", "€", "😀", "\uD800", "\uDC00", "\"");
    int exceeded = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = 15 + random.nextInt(60);
      while (text.length() < length) {
        text.append(pieces.get(random.nextInt(pieces.size())));
      }
      String value = text.toString();
      boolean expected = value.getBytes(StandardCharsets.UTF_8).length > 64;
      assertThat(limits.exceedsPayload(value)).as(value).isEqualTo(expected);
      exceeded += expected ? 1 : 0;
    }
    assertThat(exceeded).isBetween(1_000, 19_000);
    assertThat(limits.exceedsPayload("a".repeat(64))).isFalse();
    assertThat(limits.exceedsPayload("a".repeat(65))).isTrue();
    assertThat(limits.exceedsPayload("€".repeat(21) + "a")).isFalse();
    assertThat(limits.exceedsPayload("€".repeat(21) + "é")).isTrue();
  }
}
