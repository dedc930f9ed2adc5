package io.stepstream.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The per-item outcomes of a {@link BatchTaskHandler}: each item either succeeded with an output or
 * failed with an error and a cause. Build one with {@link #builder()}.
 *
 * @param <O> the type of one item's output
 */
public final class BatchResult<O> {

  /** The error of a batch in which some items failed, unless the handler chose another. */
  public static final String PARTIAL_FAILURE = "Worker.PartialBatchFailure";

  private final List<Item<O>> items;
  private final String error;

  private BatchResult(List<Item<O>> items, String error) {
    this.items = List.copyOf(items);
    this.error = error;
  }

  /** Starts an empty result. */
  public static <O> Builder<O> builder() {
    return new Builder<>();
  }

  /** The outcome of one item: {@code failed} is false for a success (then error and cause are null). */
  public record Item<O>(int index, O output, boolean failed, String error, String cause) {}

  /** The item outcomes, in the order they were added. */
  public List<Item<O>> items() {
    return items;
  }

  /** Whether any item failed. */
  public boolean hasFailures() {
    return items.stream().anyMatch(Item::failed);
  }

  /**
   * The task result: the array of outputs when nothing failed.
   *
   * @param toJson converts one output
   * @throws TaskFailure when some item failed, as {@link BatchTaskHandler} describes
   */
  JsonNode toResult(Function<O, JsonNode> toJson) {
    if (!hasFailures()) {
      ArrayNode outputs = Json.array();
      items.forEach(item -> outputs.add(toJson.apply(item.output())));
      return outputs;
    }
    ArrayNode succeeded = Json.array();
    ArrayNode failed = Json.array();
    for (Item<O> item : items) {
      if (item.failed()) {
        failed.addObject().put("Index", item.index()).put("Error", item.error()).put("Cause", item.cause());
      } else {
        succeeded.addObject().put("Index", item.index()).set("Output", toJson.apply(item.output()));
      }
    }
    ObjectNode cause = Json.object();
    cause.set("SucceededItems", succeeded);
    cause.set("FailedItems", failed);
    throw new TaskFailure(error, Json.write(cause));
  }

  /** Collects item outcomes. Not thread-safe. */
  public static final class Builder<O> {
    private final List<Item<O>> items = new ArrayList<>();
    private String error = PARTIAL_FAILURE;

    private Builder() {}

    /** Records that the item at this index succeeded. */
    public Builder<O> succeeded(int index, O output) {
      items.add(new Item<>(index, output, false, null, null));
      return this;
    }

    /** Records that the item at this index failed. */
    public Builder<O> failed(int index, String error, String cause) {
      items.add(new Item<>(index, null, true, Objects.requireNonNull(error), Objects.requireNonNull(cause)));
      return this;
    }

    /** The error the task fails with when some item failed (default {@value BatchResult#PARTIAL_FAILURE}). */
    public Builder<O> errorOnFailure(String error) {
      this.error = Objects.requireNonNull(error);
      return this;
    }

    /** Returns the result. */
    public BatchResult<O> build() {
      return new BatchResult<>(items, error);
    }
  }
}
