package io.stepstream.asl.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.stepstream.asl.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

  @Test
  void shouldLetAListedWholePlaceholderMatchAnyValue() {
    Placeholders placeholders = new Placeholders(List.of("date", "RandomNumberGenerated"));

    assertThat(placeholders.difference("output", Json.parse("{\"t\": \"date\", \"r\": \"RandomNumberGenerated\"}"),
        Json.parse("{\"t\": \"2024-01-01T00:00:00.000Z\", \"r\": 417}"))).isNull();
  }

  @Test
  void shouldCompareAPlaceholderNameLiterallyWhenTheCaseDoesNotListIt() {
    Placeholders placeholders = new Placeholders(List.of());

    assertThat(placeholders.difference("output", Json.parse("{\"t\": \"date\"}"), Json.parse("{\"t\": \"today\"}")))
        .isEqualTo("output.t: expected \"date\", got \"today\"");
  }

  @Test
  void shouldMatchTokensInsideAStringWhenTheLiteralPartsAgree() {
    Placeholders placeholders = new Placeholders(List.of("<partition>", "<region>", "<ArnPart_0idx>"));
    String recorded = "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>";

    assertThat(placeholders.matchesText(recorded, "arn:aws:states:us-east-1:123456789012:stateMachine:M")).isTrue();
    assertThat(placeholders.matchesText(recorded, "arn:aws:states:us-east-1:123456789012:activity:M")).isFalse();
    assertThat(placeholders.matchesText(recorded, "arn:aws:states:us-east-1:1234:stateMachine:M")).isFalse();
  }

  @Test
  void shouldBindATokenToTheFirstValueItMatches() {
    Placeholders placeholders = new Placeholders(List.of("<uuid:1>"));

    assertThat(placeholders.difference("output", Json.parse("[\"<uuid:1>\", \"<uuid:1>\"]"),
        Json.parse("[\"a-1\", \"a-1\"]"))).isNull();
    assertThat(new Placeholders(List.of("<uuid:1>")).difference("output", Json.parse("[\"<uuid:1>\", \"<uuid:1>\"]"),
        Json.parse("[\"a-1\", \"b-2\"]"))).startsWith("output[1]: <uuid:1> was \"a-1\" before");
  }

  @Test
  void shouldUseABoundTokenInsideLongerStrings() {
    Placeholders placeholders = new Placeholders(List.of("<ArnPart_0idx>"));

    assertThat(placeholders.matchesText("<ArnPart_0idx>", "Machine")).isTrue();
    assertThat(placeholders.matchesText("name=<ArnPart_0idx>.", "name=Machine.")).isTrue();
    assertThat(placeholders.matchesText("name=<ArnPart_0idx>.", "name=Other.")).isFalse();
  }

  @Test
  void shouldMatchAQuotedDocumentInACause() {
    Placeholders placeholders = new Placeholders(List.of("<json-input:1>"));

    assertThat(placeholders.matchesText("could not be found in the input '<json-input:1>'",
        "could not be found in the input '{\"a\":1,\n\"b\":[2]}'")).isTrue();
    assertThat(placeholders.matchesText("could not be found in the input '<json-input:1>'",
        "could not be found in the object '{}'")).isFalse();
  }

  @Test
  void shouldTellTheIntegerFormFromTheDecimalForm() {
    Placeholders placeholders = new Placeholders(List.of());

    assertThat(placeholders.difference("output", Json.parse("1.0"), Json.parse("1"))).isNotNull();
    assertThat(placeholders.difference("output", Json.parse("1.50"), Json.parse("1.5"))).isNull();
    assertThat(placeholders.difference("output", Json.parse("12345678901234567890"),
        Json.parse("12345678901234567890"))).isNull();
  }

  @Test
  void shouldReportMissingUnexpectedAndResizedParts() {
    Placeholders placeholders = new Placeholders(List.of());

    assertThat(placeholders.difference("output", Json.parse("{\"a\": 1}"), Json.parse("{}")))
        .isEqualTo("output.a: missing, expected 1");
    assertThat(placeholders.difference("output", Json.parse("{}"), Json.parse("{\"b\": 2}")))
        .isEqualTo("output.b: unexpected field, value 2");
    assertThat(placeholders.difference("output", Json.parse("[1, 2]"), Json.parse("[1]")))
        .isEqualTo("output: expected [1,2], got [1]");
    assertThat(placeholders.difference("output", Json.parse("\"1\""), Json.parse("1")))
        .isEqualTo("output: expected \"1\", got 1");
  }
}
