package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.util.List;

/** A CSV row as Step Functions makes it an item: header to string, in header order. */
final class CsvRows {

  private CsvRows() {}

  /**
   * Missing fields become empty strings and extra fields are skipped, as AWS documents.
   */
  static ObjectNode item(List<String> headers, List<String> fields) {
    ObjectNode item = Json.object();
    for (int i = 0; i < headers.size(); i++) {
      item.put(headers.get(i), i < fields.size() ? fields.get(i) : "");
    }
    return item;
  }
}
