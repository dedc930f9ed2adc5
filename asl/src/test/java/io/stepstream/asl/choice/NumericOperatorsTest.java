package io.stepstream.asl.choice;

import static io.stepstream.asl.choice.RuleFixtures.pathMatches;
import static io.stepstream.asl.choice.RuleFixtures.valueMatches;
import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NumericOperatorsTest {

  @Test
  void shouldTreatIntegersAndEqualDecimalsAsEqual() {
    assertThat(valueMatches("NumericEquals", 1, 1.0)).isTrue();
    assertThat(valueMatches("NumericEquals", 1.0, 1)).isTrue();
    assertThat(valueMatches("NumericEquals", 0, -0.0)).isTrue();
    assertThat(valueMatches("NumericEquals", 2.22, 2.22)).isTrue();
    assertThat(valueMatches("NumericEquals", 1, 1.1)).isFalse();
  }

  @Test
  void shouldBeFalseWhenTheVariableIsNotANumber() {
    for (Object value : new Object[] {null, "1", "", true, false, List.of(1), Map.of("A", 0)}) {
      assertThat(valueMatches("NumericEquals", 1, value)).as("%s", value).isFalse();
      assertThat(valueMatches("NumericLessThan", 100, value)).as("%s", value).isFalse();
      assertThat(valueMatches("NumericGreaterThanEquals", -100, value)).as("%s", value).isFalse();
    }
  }

  @Test
  void shouldOrderNumbers() {
    assertThat(valueMatches("NumericLessThan", 1, 0)).isTrue();
    assertThat(valueMatches("NumericLessThan", 1, 1)).isFalse();
    assertThat(valueMatches("NumericLessThanEquals", 1, 1.0)).isTrue();
    assertThat(valueMatches("NumericGreaterThan", 0, 1)).isTrue();
    assertThat(valueMatches("NumericGreaterThan", 3.5, 3)).isFalse();
    assertThat(valueMatches("NumericGreaterThanEquals", 3, 3.5)).isTrue();
    assertThat(valueMatches("NumericLessThan", -1.5, -2)).isTrue();
  }

  @Test
  void shouldCompareBigIntegersExactly() {
    assertThat(valueMatches("NumericEquals", 9007199254740992L, 9007199254740993L)).isFalse();
    assertThat(valueMatches("NumericGreaterThan", 9007199254740992L, 9007199254740993L)).isTrue();
    assertThat(valueMatches("NumericEquals", 9007199254740992.0, 9007199254740993L)).isFalse();
    assertThat(valueMatches("NumericLessThan", 9007199254740992.0, 9007199254740993L)).isFalse();
    BigInteger big = new BigInteger("123456789012345678901234567890");
    assertThat(valueMatches("NumericEquals", big, big.add(BigInteger.ONE))).isFalse();
    assertThat(valueMatches("NumericLessThan", big, big.add(BigInteger.ONE))).isFalse();
    assertThat(valueMatches("NumericGreaterThan", big, big.add(BigInteger.ONE))).isTrue();
    assertThat(valueMatches("NumericEquals", big, Json.parse("123456789012345678901234567890"))).isTrue();
  }

  @Test
  void shouldCompareDecimalsAsWritten() {
    BigDecimal precise = new BigDecimal("0.10000000000000000001");
    assertThat(valueMatches("NumericGreaterThan", 0.1, precise)).isTrue();
    assertThat(valueMatches("NumericEquals", new BigDecimal("0.1"), 0.1)).isTrue();
    assertThat(valueMatches("NumericEquals", new BigDecimal("2.50"), 2.5)).isTrue();
    assertThat(valueMatches("NumericLessThan", 1e300, new BigInteger("10").pow(301))).isFalse();
  }

  @Test
  void shouldCompareWithTheNumberAtTheOperandPath() {
    assertThat(pathMatches("NumericEqualsPath", 0, 0.0)).isTrue();
    assertThat(pathMatches("NumericLessThanPath", 1, 0)).isTrue();
    assertThat(pathMatches("NumericLessThanEqualsPath", 0, 1)).isFalse();
    assertThat(pathMatches("NumericGreaterThanPath", 0, 1)).isTrue();
    assertThat(pathMatches("NumericGreaterThanEqualsPath", 1, 1)).isTrue();
    assertThat(pathMatches("NumericEqualsPath", "1", 1)).isFalse();
  }
}
