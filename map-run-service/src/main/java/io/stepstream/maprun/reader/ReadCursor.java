package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;

/**
 * The cursor text of {@link ItemReaders}: {@code {"n": <items given so far>, "p": <source position>}}.
 * Callers treat it as opaque; the count lets MaxItems span pages.
 *
 * @param position the source's position, null at the start
 */
record ReadCursor(long given, ObjectNode position) {

  static final ReadCursor START = new ReadCursor(0, null);

  static ReadCursor parse(String text) {
    if (text == null || text.isEmpty()) {
      return START;
    }
    try {
      JsonNode node = Json.parse(text);
      JsonNode position = node.get("p");
      if (!node.path("n").canConvertToLong() || (position != null && !position.isObject())) {
        throw new IllegalArgumentException("not an item reader cursor: " + text);
      }
      return new ReadCursor(node.get("n").asLong(), (ObjectNode) position);
    } catch (Json.InvalidJsonException e) {
      throw new IllegalArgumentException("not an item reader cursor: " + text, e);
    }
  }

  String text() {
    ObjectNode node = Json.object().put("n", given);
    if (position != null) {
      node.set("p", position);
    }
    return Json.write(node);
  }
}
