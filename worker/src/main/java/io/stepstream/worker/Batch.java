package io.stepstream.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One batch of a Distributed Map's {@code ItemBatcher}.
 *
 * @param items the items, in order, converted to the handler's item type
 * @param batchInput the {@code BatchInput} of the ItemBatcher; JSON null when there is none
 * @param <I> the item type
 */
public record Batch<I>(List<I> items, JsonNode batchInput) {

  /** Copies the item list. */
  public Batch {
    items = List.copyOf(items);
  }
}
