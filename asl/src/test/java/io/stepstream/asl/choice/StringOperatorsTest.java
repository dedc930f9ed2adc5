package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.pathMatches;
import static io.stepstream.asl.choice.RuleFixtures.valueMatches;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StringOperatorsTest {

  @Test
  void shouldMatchStringEqualsExactlyAndCaseSensitively() {
    assertThat(valueMatches("StringEquals", "Hello", "Hello")).isTrue();
    assertThat(valueMatches("StringEquals", "Hello", "hello")).isFalse();
    assertThat(valueMatches("StringEquals", "\t\r\n", "\t\n")).isFalse();
    assertThat(valueMatches("StringEquals", "", "")).isTrue();
  }

  @Test
  void shouldBeFalseWhenTheVariableIsNotAString() {
    for (Object value : new Object[] {null, 0, 1.5, true, List.of("a"), Map.of("a", 1)}) {
      assertThat(valueMatches("StringEquals", "a", value)).as("%s", value).isFalse();
      assertThat(valueMatches("StringLessThan", "z", value)).as("%s", value).isFalse();
      assertThat(valueMatches("StringMatches", "*", value)).as("%s", value).isFalse();
    }
  }

  @Test
  void shouldOrderStringsLexicographically() {
    assertThat(valueMatches("StringLessThan", "AB", "A")).isTrue();
    assertThat(valueMatches("StringLessThan", "A", "AB")).isFalse();
    assertThat(valueMatches("StringLessThan", "", "")).isFalse();
    assertThat(valueMatches("StringLessThanEquals", "", "")).isTrue();
    assertThat(valueMatches("StringGreaterThan", "A ", "A")).isFalse();
    assertThat(valueMatches("StringGreaterThan", "Z", "a")).isTrue();
    assertThat(valueMatches("StringGreaterThanEquals", "A", "AB")).isTrue();
    assertThat(valueMatches("StringGreaterThanEquals", "AB", "AB")).isTrue();
    assertThat(valueMatches("StringLessThanEquals", "AB", "AC")).isFalse();
  }

  @Test
  void shouldCompareWithTheValueAtTheOperandPath() {
    assertThat(pathMatches("StringEqualsPath", "Hello", "Hello")).isTrue();
    assertThat(pathMatches("StringEqualsPath", "Hello", "Hello ")).isFalse();
    assertThat(pathMatches("StringLessThanPath", "AB", "A")).isTrue();
    assertThat(pathMatches("StringGreaterThanPath", "AB", "A")).isFalse();
    assertThat(pathMatches("StringLessThanEqualsPath", "A", "A")).isTrue();
    assertThat(pathMatches("StringGreaterThanEqualsPath", "A", "AB")).isTrue();
  }

  @Test
  void shouldBeFalseWhenTheOperandPathHoldsNoString() {
    assertThat(pathMatches("StringEqualsPath", 1, "1")).isFalse();
    assertThat(pathMatches("StringLessThanPath", null, "a")).isFalse();
  }

  @Test
  void shouldMatchStarAsAnyRunOfCharacters() {
    assertThat(valueMatches("StringMatches", "log-*.txt", "log-2024.txt")).isTrue();
    assertThat(valueMatches("StringMatches", "log-*.txt", "log-.txt")).isTrue();
    assertThat(valueMatches("StringMatches", "log-*.txt", "log-a.txt.gz")).isFalse();
    assertThat(valueMatches("StringMatches", "*", "")).isTrue();
    assertThat(valueMatches("StringMatches", "*.txt", "a.txt")).isTrue();
    assertThat(valueMatches("StringMatches", "log*", "logfile")).isTrue();
    assertThat(valueMatches("StringMatches", "a*b*c", "aXbYbZc")).isTrue();
    assertThat(valueMatches("StringMatches", "a*b*c", "acb")).isFalse();
    assertThat(valueMatches("StringMatches", "ab*ba", "aba")).isFalse();
    assertThat(valueMatches("StringMatches", "exact", "exact")).isTrue();
    assertThat(valueMatches("StringMatches", "exact", "exactly")).isFalse();
  }

  @Test
  void shouldTreatEscapedStarAndBackslashLiterally() {
    assertThat(valueMatches("StringMatches", "log-\\*.txt", "log-*.txt")).isTrue();
    assertThat(valueMatches("StringMatches", "log-\\*.txt", "log-1.txt")).isFalse();
    assertThat(valueMatches("StringMatches", "C:\\\\*", "C:\\temp")).isTrue();
    assertThat(valueMatches("StringMatches", "C:\\\\*", "C:temp")).isFalse();
    assertThat(valueMatches("StringMatches", "a?b", "a?b")).isTrue();
    assertThat(valueMatches("StringMatches", "a?b", "axb")).isFalse();
  }
}
