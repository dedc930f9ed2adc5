package io.stepstream.asl.dataflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** AWS's wording for paths that select nothing or something their field cannot use. */
class PathFailuresTest {

  private static final EvaluationScope SCOPE = new EvaluationScope(
      Json.parse("{\"a\": {\"b\": 1}, \"list\": [1], \"odd\\\\key\": {}}"), Json.object(), name -> null,
      new SplittableRandom(1), null, null);

  private static String invalidPath(String path) {
    StatesException e = PathFailures.invalidPath(JsonPathExpression.compile(path), SCOPE);
    assertThat(e.error()).isEqualTo("States.Runtime");
    return e.cause();
  }

  @Test
  void shouldNameTheMissingLastFieldWithTheWholePath() {
    assertThat(invalidPath("$.missing")).isEqualTo("Invalid path '$.missing' : No results for path: $['missing']");
    assertThat(invalidPath("$.a.c")).isEqualTo("Invalid path '$.a.c' : No results for path: $['a']['c']");
  }

  @Test
  void shouldNameTheFirstMissingFieldOnTheWay() {
    assertThat(invalidPath("$.no.such.result.path"))
        .isEqualTo("Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  }

  @Test
  void shouldQuoteALiteralBracketedNameAsWritten() {
    assertThat(invalidPath("$['odd\\key'].gone"))
        .isEqualTo("Invalid path '$['odd\\key'].gone' : No results for path: $['odd\\key']['gone']");
    assertThat(invalidPath("$['it\\'s']")).isEqualTo("Invalid path '$['it\\'s']' : No results for path: $['it\\'s']");
  }

  @Test
  void shouldWordAWaitParameterByWhatIsWrongWithItsValue() {
    JsonPathExpression path = JsonPathExpression.compile("$.wait");

    assertThat(PathFailures.parameterNotInInput("SecondsPath", path).cause())
        .isEqualTo("The SecondsPath parameter does not reference an input value: $.wait");
    assertThat(PathFailures.parameterNegative("SecondsPath", path, Json.parse("-4")).cause())
        .isEqualTo("The SecondsPath parameter references a negative value: $.wait == -4");
    assertThat(PathFailures.parameterNotALong("SecondsPath", path, Json.parse("-0.25")).cause())
        .isEqualTo("The SecondsPath parameter cannot be parsed as a long value: $.wait == -0.25");
    assertThat(PathFailures.parameterNotATimestamp("TimestampPath", path, Json.parse("\"soon\"")).cause())
        .isEqualTo("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time"
            + " format string: $.wait == soon");
  }

  @Test
  void shouldQuoteAMapFieldValueAsJsonUnlessItIsAString() {
    assertThat(PathFailures.notAnInteger("MaxConcurrencyPath", "$.m", Json.parse("[1]")).cause())
        .isEqualTo("The MaxConcurrencyPath field refers to value \"[1]\" which is not a valid integer: $.m");
    assertThat(PathFailures.notAFloat("ToleratedFailurePercentagePath", "$.p", Json.parse("\"most\"")).cause())
        .isEqualTo("The ToleratedFailurePercentagePath field refers to value \"most\" which is not a valid float: $.p");
  }
}
