package io.stepstream.asl.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":1}", "[1.5,-2,0,100.0,1.0E10,1.0E-5,-0.0]", "\"\\u0001\\n\\t\\\"\\\\\"", "\"\\u001F\"",
      "\"é\"", "\"😀 a\\nb\\\"c\\u0002d\"", "12345678901234567890", "true", "null", "[]", "{}", "{\"a\":{\"b\":[null,false,\"x\"]}}"})
  void shouldKnowTextThatIsWhatTheWriterWrites(String text) {
    assertThat(Json.isWritten(text)).isTrue();
    assertThat(Json.write(Json.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\": 1}", " 1", "[1,\n2]", "[1.5,2.50]", "1e2", "1E+2", "-0", "\"\\u00e9\"", "\"\\/\"",
      "\"\\u001f\"", "\"\\u000a\"", "\"a\\nb\\/\"", "[\"x\",\"y\\u0041\"]"})
  void shouldRefuseTextTheWriterWritesOtherwise(String text) {
    assertThat(Json.isWritten(text)).isFalse();
    assertThat(Json.write(Json.parse(text))).isNotEqualTo(text);
  }

  /** Every input and definition of the conformance corpus: whenever the check says yes, the writer agrees. */
  @Test
  void shouldNeverClaimTextTheWriterWritesOtherwise() throws IOException {
    Path cases = Path.of(System.getProperty("stepstream.conformance.dir", "../../shared/conformance"), "cases");
    List<String> texts = new ArrayList<>();
    if (Files.isDirectory(cases)) {
      try (Stream<Path> files = Files.list(cases)) {
        for (Path file : files.toList()) {
          JsonNode testCase = Json.parse(Files.readString(file));
          for (String field : List.of("input", "definition")) {
            JsonNode value = testCase.get(field);
            if (value != null) {
              texts.add(value.isTextual() ? value.textValue() : Json.write(value));
            }
          }
        }
      }
    }
    texts.addAll(List.of("{\"a\":[1,2.0,\"\\u0000\"]}", "0.30000000000000004", "[1E400]"));
    int claimed = 0;
    for (String text : texts) {
      JsonNode node;
      try {
        node = Json.parse(text);
      } catch (Json.InvalidJsonException e) {
        continue;
      }
      if (Json.isWritten(text)) {
        claimed++;
        assertThat(Json.write(node)).as(text).isEqualTo(text);
      }
    }
    assertThat(claimed).isPositive();
  }
}
