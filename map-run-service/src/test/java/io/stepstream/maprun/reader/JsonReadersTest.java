package io.stepstream.maprun.reader;

import static io.stepstream.maprun.reader.ReaderFixture.getObject;
import static io.stepstream.maprun.reader.ReaderFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReadersTest {

  private static final JsonNode JSON = getObject("items.json", "{\"InputType\": \"JSON\"}");
  private static final JsonNode JSONL = getObject("items.jsonl", "{\"InputType\": \"JSONL\"}");

  @TempDir
  Path root;

  private ReaderFixture data;

  @BeforeEach
  void setUp() {
    data = new ReaderFixture(root);
  }

  @Test
  void shouldGiveTheElementsOfAJsonArray() throws Exception {
    data.put("items.json", """
        [
          {"verdict": "true", "statement_date": "6/11/2008"},
          [1, 2, {"nested": [3]}],
          "text with ] and , inside",
          42, 1.5, true, null,
          {"unicode": "caf\\u00e9 \u00e9\u00e8 \ud83d\ude00"}
        ]
        """);

    assertThat(data.readAllInAnyPageSize(JSON)).isEqualTo(json(
        "{\"verdict\": \"true\", \"statement_date\": \"6/11/2008\"}", "[1, 2, {\"nested\": [3]}]",
        "\"text with ] and , inside\"", "42", "1.5", "true", "null",
        "{\"unicode\": \"caf\u00e9 \u00e9\u00e8 \ud83d\ude00\"}"));
  }

  @Test
  void shouldReadAnEmptyArrayAsNoItems() throws Exception {
    data.put("items.json", " [ ] \n");

    assertThat(data.readAllInAnyPageSize(JSON)).isEmpty();
  }

  @Test
  void shouldFailAJsonObjectThatIsNotAnArrayAsAwsDoes() throws Exception {
    data.put("items.json", "{\"Hello\": \"world\"}");

    assertThatThrownBy(() -> ItemReaders.read(data.store, JSON, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessage("Attempting to map over non-iterable node.");
  }

  @Test
  void shouldFailMalformedJsonWithItsPlace() throws Exception {
    data.put("items.json", "[{\"a\": 1}, {\"b\": oops}]");

    ItemPage first = ItemReaders.read(data.store, JSON, null, 1);

    assertThat(first.items()).isEqualTo(json("{\"a\": 1}"));
    // Where Jackson stops in "oops}", counted in the object's bytes whether read whole or resumed.
    for (String cursor : new String[] {null, first.nextCursor()}) {
      assertThatThrownBy(() -> ItemReaders.read(data.store, JSON, cursor, 10))
          .isInstanceOfSatisfying(ItemReaderException.class, e -> {
            assertThat(e.error()).isEqualTo("States.ItemReaderFailed");
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).startsWith("The JSON object s3://data/items.json is not valid JSON at byte 22: ");
          });
    }
  }

  @Test
  void shouldFailAnUnclosedArray() throws Exception {
    data.put("items.json", "[1, 2");

    assertThatThrownBy(() -> ItemReaders.read(data.store, JSON, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageStartingWith("The JSON object s3://data/items.json is not valid JSON");
  }

  @Test
  void shouldGiveOneItemPerNonEmptyJsonLine() throws Exception {
    data.put("items.jsonl", "{\"verdict\": \"true\"}\r\n\n   \n[1,2]\n\"caf\u00e9\"\n  7  \n{\"last\": true}");

    assertThat(data.readAllInAnyPageSize(JSONL))
        .isEqualTo(json("{\"verdict\": \"true\"}", "[1,2]", "\"caf\u00e9\"", "7", "{\"last\": true}"));
  }

  @Test
  void shouldFailAnInvalidJsonLineWithItsLineNumber() throws Exception {
    data.put("items.jsonl", "{\"a\": 1}\n\n{\"b\": 2} {\"c\": 3}\n");

    assertThatThrownBy(() -> ItemReaders.read(data.store, JSONL, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessageStartingWith("The JSONL object s3://data/items.jsonl has invalid JSON at line 3: ");
  }

  @Test
  void shouldSkipAByteOrderMark() throws Exception {
    data.put("items.jsonl", "\uFEFF{\"a\": 1}\n");
    data.put("items.json", "\uFEFF[1, 2, 3]");

    assertThat(data.readAllInAnyPageSize(JSONL)).isEqualTo(json("{\"a\": 1}"));
    assertThat(data.readAllInAnyPageSize(JSON)).isEqualTo(json("1", "2", "3"));
  }

  @Test
  void shouldFailAMissingKeyWithS3sMessage() {
    for (JsonNode reader : new JsonNode[] {JSON, JSONL}) {
      assertThatThrownBy(() -> ItemReaders.read(data.store, reader, null, 10))
          .isInstanceOf(ItemReaderException.class)
          .hasMessageStartingWith("The specified key does not exist. (Service: S3, Status Code: 404, Request ID: ");
    }
  }
}
