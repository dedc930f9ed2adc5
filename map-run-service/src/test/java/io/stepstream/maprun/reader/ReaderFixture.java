package io.stepstream.maprun.reader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.LocalBuckets;
import io.stepstream.maprun.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Objects in a local bucket, and reading every page of a reader while checking the cursor contract. */
final class ReaderFixture {

  static final String BUCKET = "data";

  final ObjectStore store;

  ReaderFixture(Path root) {
    try {
      Files.createDirectories(root.resolve(BUCKET));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.store = new LocalBuckets(root);
  }

  void put(String key, String content) throws Exception {
    put(key, content.getBytes(StandardCharsets.UTF_8));
  }

  void put(String key, byte[] content) throws Exception {
    store.put(BUCKET, key, content);
  }

  /** An ItemReader for s3:getObject of {@code key}, with a ReaderConfig given as JSON text. */
  static JsonNode getObject(String key, String readerConfig) {
    return Json.parse("{\"Resource\": \"arn:aws:states:::s3:getObject\", \"ReaderConfig\": " + readerConfig
        + ", \"Parameters\": {\"Bucket\": \"" + BUCKET + "\", \"Key\": \"" + key + "\"}}");
  }

  /**
   * Every item, read {@code pageSize} at a time. Along the way: each page is read twice from its cursor
   * and must come back the same, no page is larger than asked, only the last is exhausted, and the
   * cursor after it reads as an empty, exhausted page.
   */
  List<JsonNode> readAll(JsonNode reader, int pageSize) throws ItemReaderException {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    for (int pages = 0; ; pages++) {
      ItemPage page = ItemReaders.read(store, reader, cursor, pageSize);
      assertThat(ItemReaders.read(store, reader, cursor, pageSize)).isEqualTo(page);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(pageSize);
      assertThat(page.nextCursor()).isNotNull();
      items.addAll(page.items());
      if (page.exhausted()) {
        ItemPage after = ItemReaders.read(store, reader, page.nextCursor(), pageSize);
        assertThat(after.items()).isEmpty();
        assertThat(after.exhausted()).isTrue();
        return items;
      }
      assertThat(page.items()).as("a page before the end is full").hasSize(pageSize);
      cursor = page.nextCursor();
    }
  }

  /** Reads the whole dataset at once and in pages of 1, 2 and 3, and checks they agree. */
  List<JsonNode> readAllInAnyPageSize(JsonNode reader) throws ItemReaderException {
    List<JsonNode> all = readAll(reader, 1_000_000);
    for (int pageSize : new int[] {1, 2, 3}) {
      assertThat(readAll(reader, pageSize)).as("pages of %d", pageSize).isEqualTo(all);
    }
    return all;
  }

  static List<JsonNode> json(String... values) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String value : values) {
      nodes.add(Json.parse(value));
    }
    return nodes;
  }
}
