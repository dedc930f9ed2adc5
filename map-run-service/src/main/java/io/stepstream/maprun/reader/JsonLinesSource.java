package io.stepstream.maprun.reader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines object: one item per line holding a JSON value; blank lines are skipped. Position:
 * {@code {"o": <byte offset of the next line>, "l": <its line number>}}.
 */
final class JsonLinesSource implements ItemSource {

  private final ObjectStore store;
  private final ReaderConfig config;

  JsonLinesSource(ObjectStore store, ReaderConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Page read(ObjectNode position, int limit) throws ItemReaderException {
    long offset = position == null ? 0 : position.path("o").asLong();
    long line = position == null ? 1 : position.path("l").asLong();
    List<JsonNode> items = new ArrayList<>();
    ByteField text = new ByteField();
    try (PositionedInput in = open(offset)) {
      in.skipByteOrderMark();
      while (true) {
        line += skipBlank(in);
        if (in.peek() < 0 || items.size() == limit) {
          return new Page(items, Json.object().put("o", in.position()).put("l", line), in.peek() < 0);
        }
        text.clear();
        if (!in.readLine(text, Limits.MAX_ITEM_BYTES)) {
          throw Limits.itemTooLarge(config.source(), "line " + line);
        }
        items.add(parse(text, line));
        line++;
      }
    } catch (IOException e) {
      throw new ItemReaderException("Reading " + config.source() + " failed: " + e.getMessage(), true, e);
    }
  }

  private PositionedInput open(long offset) throws ItemReaderException {
    try {
      return new PositionedInput(store.open(config.bucket(), config.key(), offset), offset);
    } catch (ObjectStoreException e) {
      throw ItemReaderException.of(e);
    }
  }

  /** Skips JSON whitespace, returning how many line ends it passed. */
  private static int skipBlank(PositionedInput in) throws IOException {
    int lines = 0;
    for (int b = in.peek(); b == ' ' || b == '\t' || b == '\r' || b == '\n'; b = in.peek()) {
      if (in.read() == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private JsonNode parse(ByteField text, long line) throws ItemReaderException {
    try {
      return Json.MAPPER.readTree(text.bytes(), 0, text.length());
    } catch (JsonProcessingException e) {
      throw new ItemReaderException("The JSONL object " + config.source() + " has invalid JSON at line " + line
          + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ItemReaderException("The JSONL object " + config.source() + " has invalid JSON at line " + line
          + ": " + e.getMessage());
    }
  }
}
