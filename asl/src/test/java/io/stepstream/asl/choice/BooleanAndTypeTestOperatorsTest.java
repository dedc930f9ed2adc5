package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.pathMatches;
import static io.stepstream.asl.choice.RuleFixtures.rule;
import static io.stepstream.asl.choice.RuleFixtures.scope;
import static io.stepstream.asl.choice.RuleFixtures.valueMatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BooleanAndTypeTestOperatorsTest {

  @Test
  void shouldMatchBooleanEqualsOnlyForTheSameBoolean() {
    assertThat(valueMatches("BooleanEquals", true, true)).isTrue();
    assertThat(valueMatches("BooleanEquals", false, false)).isTrue();
    assertThat(valueMatches("BooleanEquals", true, false)).isFalse();
    for (Object value : new Object[] {null, 0, 1, "true", List.of(), Map.of()}) {
      assertThat(valueMatches("BooleanEquals", true, value)).as("%s", value).isFalse();
      assertThat(valueMatches("BooleanEquals", false, value)).as("%s", value).isFalse();
    }
  }

  @Test
  void shouldCompareWithTheBooleanAtTheOperandPath() {
    assertThat(pathMatches("BooleanEqualsPath", true, true)).isTrue();
    assertThat(pathMatches("BooleanEqualsPath", false, true)).isFalse();
    assertThat(pathMatches("BooleanEqualsPath", "true", true)).isFalse();
  }

  @Test
  void shouldTestTheTypeOfTheVariable() {
    assertThat(valueMatches("IsNull", true, null)).isTrue();
    assertThat(valueMatches("IsNull", true, "")).isFalse();
    assertThat(valueMatches("IsNumeric", true, 1.5)).isTrue();
    assertThat(valueMatches("IsNumeric", true, "1")).isFalse();
    assertThat(valueMatches("IsString", true, "")).isTrue();
    assertThat(valueMatches("IsString", true, List.of(""))).isFalse();
    assertThat(valueMatches("IsBoolean", true, false)).isTrue();
    assertThat(valueMatches("IsBoolean", true, 0)).isFalse();
    assertThat(valueMatches("IsTimestamp", true, "2016-03-14T01:59:00Z")).isTrue();
    assertThat(valueMatches("IsTimestamp", true, "2016-03-14T01:59:00")).isFalse();
    assertThat(valueMatches("IsTimestamp", true, 1457920740)).isFalse();
  }

  @Test
  void shouldNegateTheTypeTestWhenTheOperandIsFalse() {
    assertThat(valueMatches("IsNull", false, null)).isFalse();
    assertThat(valueMatches("IsNull", false, 0)).isTrue();
    assertThat(valueMatches("IsNumeric", false, "x")).isTrue();
    assertThat(valueMatches("IsString", false, "x")).isFalse();
    assertThat(valueMatches("IsBoolean", false, true)).isFalse();
    assertThat(valueMatches("IsTimestamp", false, "yesterday")).isTrue();
  }

  @Test
  void shouldTellWhetherTheVariableIsPresent() {
    assertThat(rule("{\"Variable\": \"$.a\", \"IsPresent\": true}").matches(scope("{\"a\": null}"))).isTrue();
    assertThat(rule("{\"Variable\": \"$.a\", \"IsPresent\": true}").matches(scope("{\"b\": 1}"))).isFalse();
    assertThat(rule("{\"Variable\": \"$.a\", \"IsPresent\": false}").matches(scope("{\"b\": 1}"))).isTrue();
    assertThat(rule("{\"Variable\": \"$.a.b\", \"IsPresent\": true}").matches(scope("{\"a\": \"text\"}"))).isFalse();
    assertThat(rule("{\"Variable\": \"$.a[3]\", \"IsPresent\": true}").matches(scope("{\"a\": [1]}"))).isFalse();
    assertThat(rule("{\"Variable\": \"$\", \"IsPresent\": true}").matches(scope("3"))).isTrue();
  }
}
