package io.stepstream.maprun.reader;

import static io.stepstream.maprun.reader.ReaderFixture.getObject;
import static io.stepstream.maprun.reader.ReaderFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {

  private static final JsonNode FIRST_ROW = csv("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"FIRST_ROW\"}");

  @TempDir
  Path root;

  private ReaderFixture data;

  @BeforeEach
  void setUp() {
    data = new ReaderFixture(root);
  }

  private static JsonNode csv(String readerConfig) {
    return getObject("file.csv", readerConfig);
  }

  @Test
  void shouldNameFieldsAfterTheFirstRow() throws Exception {
    data.put("file.csv", "userId,movieId,rating\n1,307,3.5\n1,481,3.5\n");

    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEqualTo(json(
        "{\"userId\": \"1\", \"movieId\": \"307\", \"rating\": \"3.5\"}",
        "{\"userId\": \"1\", \"movieId\": \"481\", \"rating\": \"3.5\"}"));
  }

  @Test
  void shouldUseGivenHeadersAndReadTheFirstRowAsData() throws Exception {
    data.put("file.csv", "1,307,3.5,1256677221\n1,481,3.5,1256677456\n");
    JsonNode reader = csv("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"GIVEN\","
        + " \"CSVHeaders\": [\"userId\", \"movieId\", \"rating\", \"timestamp\"]}");

    assertThat(data.readAllInAnyPageSize(reader)).isEqualTo(json(
        "{\"userId\": \"1\", \"movieId\": \"307\", \"rating\": \"3.5\", \"timestamp\": \"1256677221\"}",
        "{\"userId\": \"1\", \"movieId\": \"481\", \"rating\": \"3.5\", \"timestamp\": \"1256677456\"}"));
  }

  @Test
  void shouldFillMissingFieldsWithEmptyStringsAndSkipExtraOnesAsAwsDoes() throws Exception {
    // The rows AWS was recorded on (LocalStack's snapshot of test_map_item_reader_csv_*_extra_fields).
    data.put("file.csv", "H1,\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n");

    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEqualTo(json(
        "{\"H1\": \"Value4\", \"\": \"Value5\"}", "{\"H1\": \"\", \"\": \"\"}", "{\"H1\": \"true\", \"\": \"1\"}",
        "{\"H1\": \"Null\", \"\": \"None\"}", "{\"H1\": \"   \", \"\": \"\"}"));
  }

  @Test
  void shouldParseAwsCsvReferenceRow() throws Exception {
    // The example of "How Step Functions parses input CSV files".
    data.put("file.csv", "abc,123,\"This string contains commas, a double quotation marks (\"\"), and a newline (\n"
        + ")\",{\"\"MyKey\"\":\"\"MyValue\"\"},\"[1,2,3]\"\n");
    JsonNode reader = csv("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"GIVEN\", \"CSVHeaders\": [\"MyLetters\","
        + " \"MyNumbers\", \"MyString\", \"MyObject\", \"MyArray\"]}");

    List<JsonNode> items = data.readAllInAnyPageSize(reader);

    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("MyString").asText())
        .isEqualTo("This string contains commas, a double quotation marks (\"), and a newline (\n)");
    assertThat(items.get(0).path("MyObject").asText()).isEqualTo("{\"MyKey\":\"MyValue\"}");
    assertThat(items.get(0).path("MyArray").asText()).isEqualTo("[1,2,3]");
  }

  @Test
  void shouldKeepQuotedDelimitersNewlinesAndMultiByteTextAcrossPages() throws Exception {
    data.put("file.csv", "name,note\r\n"
        + "\"Z\u00fcrich, CH\",\"line one\r\nline two\"\r\n"
        + "\u6771\u4eac,\"\ud83d\ude00 \"\"quoted\"\"\"\r\n"
        + "\"\",plain\r\n"
        + "caf\u00e9,\"\"\r\n");

    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEqualTo(json(
        "{\"name\": \"Z\u00fcrich, CH\", \"note\": \"line one\\r\\nline two\"}",
        "{\"name\": \"\u6771\u4eac\", \"note\": \"\ud83d\ude00 \\\"quoted\\\"\"}",
        "{\"name\": \"\", \"note\": \"plain\"}",
        "{\"name\": \"caf\u00e9\", \"note\": \"\"}"));
  }

  @Test
  void shouldApplyAwsBackslashEscapes() throws Exception {
    data.put("file.csv", "path,size\nC:\\\\Program Files\\\\MyApp.exe,6534512\na\\,b,\\\"q\\\"\n\\x\\y,\"in\\\"side\"\n");

    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEqualTo(json(
        "{\"path\": \"C:\\\\Program Files\\\\MyApp.exe\", \"size\": \"6534512\"}",
        "{\"path\": \"a,b\", \"size\": \"\\\"q\\\"\"}",
        "{\"path\": \"xy\", \"size\": \"in\\\"side\"}"));
  }

  @Test
  void shouldSplitOnEachConfiguredDelimiter() throws Exception {
    String[][] cases = {{"COMMA", ","}, {"PIPE", "|"}, {"SEMICOLON", ";"}, {"SPACE", " "}, {"TAB", "\t"}};
    for (String[] delimiter : cases) {
      String d = delimiter[1];
      data.put("file.csv", "a" + d + "b\n1" + d + "\"x" + d + "y\"\n2" + d + "z\n");
      JsonNode reader = csv("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"FIRST_ROW\", \"CSVDelimiter\": \""
          + delimiter[0] + "\"}");

      assertThat(data.readAllInAnyPageSize(reader)).as(delimiter[0])
          .isEqualTo(json("{\"a\": \"1\", \"b\": \"x" + (d.equals("\t") ? "\\t" : d) + "y\"}", "{\"a\": \"2\", \"b\": \"z\"}"));
    }
  }

  @Test
  void shouldFailDuplicateHeadersAsAwsDoes() throws Exception {
    data.put("file.csv", "a,b,a\n1,2,3\n");
    JsonNode given = csv("{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"GIVEN\", \"CSVHeaders\": [\"x\", \"x\"]}");

    assertThatThrownBy(() -> ItemReaders.read(data.store, FIRST_ROW, null, 10))
        .isInstanceOf(ItemReaderException.class).hasMessage("CSV headers cannot contain duplicates.");
    assertThatThrownBy(() -> ItemReaders.read(data.store, given, null, 10))
        .isInstanceOf(ItemReaderException.class).hasMessage("CSV headers cannot contain duplicates.");
  }

  @Test
  void shouldFailAQuotedFieldThatNeverCloses() throws Exception {
    data.put("file.csv", "a,b\n1,2\n3,\"open\n4,5\n");

    assertThatThrownBy(() -> ItemReaders.read(data.store, FIRST_ROW, null, 10))
        .isInstanceOf(ItemReaderException.class)
        .hasMessage("The CSV object s3://data/file.csv has a quoted field opened at line 3 that is never closed");
  }

  @Test
  void shouldReadAHeaderOnlyOrEmptyFileAsNoItems() throws Exception {
    data.put("file.csv", "a,b\n");
    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEmpty();

    data.put("file.csv", "");
    assertThat(data.readAllInAnyPageSize(FIRST_ROW)).isEmpty();
  }
}
