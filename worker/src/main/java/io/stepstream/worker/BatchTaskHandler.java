package io.stepstream.worker;

/**
 * A {@link TaskHandler} for the batches a Distributed Map's {@code ItemBatcher} makes
 * ({@code {"Items": [...], "BatchInput": {...}}}), which can fail some items and not others.
 *
 * <p>When every item succeeds, the task's result is the array of item results, in item order. When
 * some fail, the task fails with the error {@value BatchResult#PARTIAL_FAILURE} (unless the
 * result names another) and a JSON cause listing both sides:
 * {@code {"SucceededItems": [{"Index": 0, "Output": ...}], "FailedItems": [{"Index": 1, "Error": ..., "Cause": ...}]}},
 * so {@code Retry}/{@code Catch} and the Map's tolerated failures see the batch as failed while
 * the successful work stays visible.
 *
 * @param <I> the type of one item
 * @param <O> the type of one item's result
 */
@FunctionalInterface
public interface BatchTaskHandler<I, O> {

  /**
   * Runs one batch.
   *
   * @param batch the items, converted to {@code I}, and the batch input
   * @param context the invocation's context
   * @return one outcome per item
   * @throws Exception to fail the whole batch, as {@link TaskHandler#handle} does
   */
  BatchResult<O> handle(Batch<I> batch, TaskContext context) throws Exception;
}
