package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One kind of dataset, read page by page from a position of its own making. A source returns exactly
 * {@code limit} items unless the data ends first, and the same position always gives the same page.
 */
interface ItemSource {

  /**
   * @param position where to start, as a previous page's {@link Page#next()} gave it; null for the start
   * @param limit how many items at most, at least 1
   */
  Page read(ObjectNode position, int limit) throws ItemReaderException;

  /**
   * @param next the position after the last item; at the end, a position that reads as empty
   * @param exhausted whether no item follows
   */
  record Page(List<JsonNode> items, ObjectNode next, boolean exhausted) {}
}
