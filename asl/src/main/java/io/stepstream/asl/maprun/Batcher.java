package io.stepstream.asl.maprun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * ItemBatcher: groups selected items into child inputs {@code {"BatchInput": ..., "Items": [...]}} of
 * at most MaxItemsPerBatch items and MaxInputBytesPerBatch bytes (an item larger than the byte limit
 * gets a batch of its own). Without an ItemBatcher every item is a child input of its own. Not
 * thread-safe: one batcher per reader pass.
 */
public final class Batcher {

  private final boolean batching;
  private final long maxItems;
  private final long maxBytes;
  private final JsonNode batchInput;
  private final int baseBytes;
  private ArrayNode items;
  private long bytes;

  /**
   * @param maxItems MaxItemsPerBatch, 0 for no limit
   * @param maxBytes MaxInputBytesPerBatch, 0 for no limit
   * @param batchInput BatchInput, or null
   */
  public Batcher(boolean batching, long maxItems, long maxBytes, JsonNode batchInput) {
    this.batching = batching;
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
    this.batchInput = batchInput;
    this.baseBytes = size(wrap(Json.array()));
  }

  /** A child's input and how many items it holds. */
  public record Batch(JsonNode input, int items) {}

  /**
   * Adds an item; returns the child input that it completed, or null while the batch has room. With
   * a byte limit, the item may close the previous batch and start the next one: the returned input is
   * then the previous batch and the item waits in the new one.
   */
  public Batch add(JsonNode item) {
    if (!batching) {
      return new Batch(item, 1);
    }
    int itemBytes = maxBytes > 0 ? size(item) + 1 : 0;
    Batch closed = null;
    if (items != null && maxBytes > 0 && bytes + itemBytes > maxBytes) {
      closed = new Batch(wrap(items), items.size());
      items = null;
    }
    if (items == null) {
      items = Json.array();
      bytes = baseBytes;
    }
    items.add(item);
    bytes += itemBytes;
    if (closed == null && maxItems > 0 && items.size() >= maxItems) {
      closed = new Batch(wrap(items), items.size());
      items = null;
    }
    return closed;
  }

  /** The items of the batch being filled (0 without batching). */
  public int pending() {
    return items == null ? 0 : items.size();
  }

  /** Closes the batch being filled: its child input, or null when it is empty. */
  public Batch flush() {
    if (items == null || items.isEmpty()) {
      return null;
    }
    Batch closed = new Batch(wrap(items), items.size());
    items = null;
    return closed;
  }

  private JsonNode wrap(ArrayNode batch) {
    ObjectNode input = Json.object();
    if (batchInput != null) {
      input.set("BatchInput", batchInput);
    }
    input.set("Items", batch);
    return input;
  }

  private static int size(JsonNode node) {
    return Json.write(node).getBytes(StandardCharsets.UTF_8).length;
  }
}
