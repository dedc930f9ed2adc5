package io.stepstream.maprun.reader;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of items.
 *
 * @param items the items in dataset order, at most the number asked for
 * @param nextCursor where the following page starts; never null, also on the last page (reading it
 *     then gives an empty, exhausted page)
 * @param exhausted whether no item follows this page (end of data, or MaxItems reached)
 */
public record ItemPage(List<JsonNode> items, String nextCursor, boolean exhausted) {

  public ItemPage {
    items = List.copyOf(items);
  }
}
