package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import io.stepstream.maprun.store.ObjectStore;
import io.stepstream.maprun.store.ObjectStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A delimited text object: one item per row (see {@link CsvRecordParser} for the rules, {@link CsvRows}
 * for the item). With CSVHeaderLocation FIRST_ROW the first row names the fields and is not an item;
 * with GIVEN every row is an item. Position: {@code {"o": <byte offset of the next row>, "l": <its line>,
 * "h": [<headers read from the first row>]}} (no {@code h} for GIVEN headers).
 */
final class CsvSource implements ItemSource {

  private final ObjectStore store;
  private final ReaderConfig config;

  CsvSource(ObjectStore store, ReaderConfig config) {
    this.store = store;
    this.config = config;
  }

  @Override
  public Page read(ObjectNode position, int limit) throws ItemReaderException {
    long offset = position == null ? 0 : position.path("o").asLong();
    long line = position == null ? 1 : position.path("l").asLong();
    List<String> headers = config.givenHeaders() != null ? config.givenHeaders() : headers(position);
    List<JsonNode> items = new ArrayList<>();
    try (PositionedInput in = open(offset)) {
      in.skipByteOrderMark();
      CsvRecordParser rows = new CsvRecordParser(in, config.csvDelimiter(), config.source(), line);
      if (headers == null) {
        List<String> first = rows.next();
        headers = first == null ? List.of() : first;
        ReaderConfig.requireDistinct(headers);
      }
      while (items.size() < limit) {
        List<String> fields = rows.next();
        if (fields == null) {
          break;
        }
        items.add(CsvRows.item(headers, fields));
      }
      boolean more = rows.hasNext();
      return new Page(items, position(rows.position(), rows.line(), headers), !more);
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

  /** The first row's headers a previous page kept, or null before the first row was read. */
  private static List<String> headers(ObjectNode position) {
    if (position == null) {
      return null;
    }
    List<String> headers = new ArrayList<>();
    position.path("h").forEach(header -> headers.add(header.asText()));
    return headers;
  }

  private ObjectNode position(long offset, long line, List<String> headers) {
    ObjectNode position = Json.object().put("o", offset).put("l", line);
    if (config.givenHeaders() == null) {
      ArrayNode names = position.putArray("h");
      headers.forEach(names::add);
    }
    return position;
  }
}
