package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.pathMatches;
import static io.stepstream.asl.choice.RuleFixtures.valueMatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampOperatorsTest {

  private static final String T = "2012-10-09T19:00:55Z";

  @Test
  void shouldCompareTimestampsAsInstants() {
    assertThat(valueMatches("TimestampEquals", T, T)).isTrue();
    assertThat(valueMatches("TimestampEquals", T, "2012-10-09T20:00:55+01:00")).isTrue();
    assertThat(valueMatches("TimestampEquals", T, "2012-10-09T19:00:55.000Z")).isTrue();
    assertThat(valueMatches("TimestampEquals", T, "2012-10-09T19:00:56Z")).isFalse();
    assertThat(valueMatches("TimestampLessThan", T, "2012-10-09T19:00:54.999999999Z")).isTrue();
    assertThat(valueMatches("TimestampLessThan", T, T)).isFalse();
    assertThat(valueMatches("TimestampLessThanEquals", T, T)).isTrue();
    assertThat(valueMatches("TimestampGreaterThan", T, "2012-10-09T19:00:55.1Z")).isTrue();
    assertThat(valueMatches("TimestampGreaterThan", T, "2012-10-09T19:00:56+00:01")).isFalse();
    assertThat(valueMatches("TimestampGreaterThanEquals", T, "2012-10-09T14:00:55-05:00")).isTrue();
  }

  @Test
  void shouldBeFalseWhenTheVariableIsNoTimestamp() {
    for (Object value : new Object[] {null, 0, 1.1, true, "", " ", "2023-02-24", "2023-02-24 12:15:56.832957",
        "2012-10-09T19:00:55", List.of(T)}) {
      assertThat(valueMatches("TimestampEquals", T, value)).as("%s", value).isFalse();
      assertThat(valueMatches("TimestampLessThan", "2100-01-01T00:00:00Z", value)).as("%s", value).isFalse();
    }
  }

  @Test
  void shouldCompareWithTheTimestampAtTheOperandPath() {
    assertThat(pathMatches("TimestampEqualsPath", T, T)).isTrue();
    assertThat(pathMatches("TimestampLessThanPath", "2012-10-09T19:00:56Z", T)).isTrue();
    assertThat(pathMatches("TimestampGreaterThanPath", "2012-10-09T19:00:56Z", T)).isFalse();
    assertThat(pathMatches("TimestampLessThanEqualsPath", T, T)).isTrue();
    assertThat(pathMatches("TimestampGreaterThanEqualsPath", "2012-10-09T19:00:56Z", T)).isFalse();
    assertThat(pathMatches("TimestampEqualsPath", "not a timestamp", T)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-03-14T01:59:00Z", "2016-03-14T01:59:00.5Z", "2016-03-14T01:59:00.123456789Z",
      "2016-03-14T01:59:00+01:00", "2016-03-14T01:59:00-18:00", "2024-02-29T00:00:00Z", "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z"})
  void shouldAcceptRfc3339Timestamps(String text) {
    assertThat(Rfc3339.isTimestamp(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-03-14T01:59:00", "2016-03-14 01:59:00Z", "2016-03-14t01:59:00Z",
      "2016-03-14T01:59:00z", "2016-03-14T01:59Z", "2016-13-05T21:29:29Z", "2016-12-05T25:29:29Z",
      "05-12-2016T21:29:29Z", "2023-02-29T00:00:00Z", "2016-03-14T01:60:00Z", "2016-03-14T01:59:60Z",
      "2016-03-14T01:59:00.Z", "2016-03-14T01:59:00.1234567890Z", "2016-03-14T01:59:00+0100",
      "2016-03-14T01:59:00+19:00", "2016-03-14T01:59:00+01:60", "2016-03-14T01:59:00ZZ", "+2016-03-14T01:59:00Z"})
  void shouldRejectWhatIsNotAnRfc3339Timestamp(String text) {
    assertThat(Rfc3339.isTimestamp(text)).isFalse();
  }

  @Test
  void shouldParseFractionsAndOffsetsToTheSameInstant() {
    assertThat(Rfc3339.parse("1970-01-01T00:00:01.5Z")).isEqualTo(java.time.Instant.ofEpochSecond(1, 500_000_000));
    assertThat(Rfc3339.parse("1970-01-01T01:00:00+01:00")).isEqualTo(java.time.Instant.EPOCH);
  }
}
