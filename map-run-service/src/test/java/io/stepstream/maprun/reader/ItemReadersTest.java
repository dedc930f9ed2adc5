package io.stepstream.maprun.reader;

import static io.stepstream.maprun.reader.ReaderFixture.getObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemReadersTest {

  @TempDir
  Path root;

  private ReaderFixture data;

  @BeforeEach
  void setUp() {
    data = new ReaderFixture(root);
  }

  @Test
  void shouldStopAtMaxItemsAcrossPages() throws Exception {
    data.put("items.jsonl", "1\n2\n3\n4\n5\n6\n7\n");
    data.put("items.csv", "n\n1\n2\n3\n4\n5\n6\n7\n");
    data.put("items.json", "[1,2,3,4,5,6,7]");
    for (JsonNode reader : new JsonNode[] {
        getObject("items.jsonl", "{\"InputType\": \"JSONL\", \"MaxItems\": 5}"),
        getObject("items.csv", "{\"InputType\": \"CSV\", \"CSVHeaderLocation\": \"FIRST_ROW\", \"MaxItems\": 5}"),
        getObject("items.json", "{\"InputType\": \"JSON\", \"MaxItems\": 5}")}) {
      assertThat(data.readAllInAnyPageSize(reader)).hasSize(5);
    }
  }

  @Test
  void shouldEndExactlyAtMaxItems() throws Exception {
    data.put("items.jsonl", "1\n2\n3\n4\n");
    JsonNode reader = getObject("items.jsonl", "{\"InputType\": \"JSONL\", \"MaxItems\": 2}");

    ItemPage page = ItemReaders.read(data.store, reader, null, 2);

    assertThat(page.items()).hasSize(2);
    assertThat(page.exhausted()).isTrue();
  }

  @Test
  void shouldReadEverythingWhenMaxItemsIsZero() throws Exception {
    data.put("items.jsonl", "1\n2\n3\n");

    assertThat(data.readAllInAnyPageSize(getObject("items.jsonl", "{\"InputType\": \"JSONL\", \"MaxItems\": 0}")))
        .hasSize(3);
  }

  @Test
  void shouldRefuseANegativeMaxItemsAsAwsDoes() throws Exception {
    data.put("items.jsonl", "1\n");

    assertThatThrownBy(() -> ItemReaders.read(data.store,
        getObject("items.jsonl", "{\"InputType\": \"JSONL\", \"MaxItems\": -1}"), null, 10))
        .isInstanceOf(ItemReaderException.class).hasMessage("field MaxItems must be positive");
  }

  @Test
  void shouldRefuseReadersItCannotRead() {
    for (String reader : new String[] {
        "{\"Resource\": \"arn:aws:states:::s3:putObject\", \"Parameters\": {\"Bucket\": \"data\"}}",
        "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"Parameters\": {\"Bucket\": \"data\", \"Key\": \"k\"}}",
        "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": {\"InputType\": \"PARQUET\"},"
            + " \"Parameters\": {\"Bucket\": \"data\", \"Key\": \"k\"}}",
        "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": {\"InputType\": \"JSON\"},"
            + " \"Parameters\": {\"Bucket\": \"data\"}}",
        "{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": {\"InputType\": \"CSV\","
            + " \"CSVHeaderLocation\": \"GIVEN\"}, \"Parameters\": {\"Bucket\": \"data\", \"Key\": \"k\"}}"}) {
      assertThatThrownBy(() -> ItemReaders.read(data.store, Json.parse(reader), null, 10))
          .as(reader).isInstanceOf(ItemReaderException.class);
    }
  }

  @Test
  void shouldPageThroughALargeJsonLinesObjectWithoutHoldingIt() throws Exception {
    Path file = root.resolve(ReaderFixture.BUCKET).resolve("large.jsonl");
    int lines = 200_000;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        out.write("{\"id\":" + i + ",\"name\":\"item-" + i + "\",\"tags\":[\"a\",\"b\"]}\n");
      }
    }
    JsonNode reader = getObject("large.jsonl", "{\"InputType\": \"JSONL\"}");

    long count = 0;
    long expectedId = 0;
    String cursor = null;
    ItemPage page;
    do {
      page = ItemReaders.read(data.store, reader, cursor, 500);
      for (JsonNode item : page.items()) {
        if (item.path("id").asLong() != expectedId++) {
          throw new AssertionError("item " + (expectedId - 1) + " is out of order: " + item);
        }
      }
      count += page.items().size();
      cursor = page.nextCursor();
    } while (!page.exhausted());

    assertThat(count).isEqualTo(lines);
  }
}
