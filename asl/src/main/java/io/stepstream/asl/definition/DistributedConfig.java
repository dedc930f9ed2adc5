package io.stepstream.asl.definition;

/**
 * What a Distributed Map adds to a Map state, compiled: the ItemReader's parameters and item cap, the
 * ItemBatcher's limits and BatchInput, the ResultWriter's parameters and the children's execution type.
 * Every template is null when its field is absent.
 *
 * @param childExecutionType {@code STANDARD} or {@code EXPRESS} (ProcessorConfig.ExecutionType)
 * @param readerParameters ItemReader Parameters (JSONPath) or Arguments (JSONata)
 * @param maxItems ItemReader.ReaderConfig MaxItems or MaxItemsPath
 * @param batching whether the state has an ItemBatcher
 * @param maxItemsPerBatch ItemBatcher MaxItemsPerBatch or MaxItemsPerBatchPath
 * @param maxInputBytesPerBatch ItemBatcher MaxInputBytesPerBatch or MaxInputBytesPerBatchPath
 * @param batchInput ItemBatcher BatchInput
 * @param writerParameters ResultWriter Parameters (JSONPath) or Arguments (JSONata)
 */
public record DistributedConfig(
    String childExecutionType,
    ValueTemplate readerParameters,
    ValueTemplate maxItems,
    boolean batching,
    ValueTemplate maxItemsPerBatch,
    ValueTemplate maxInputBytesPerBatch,
    ValueTemplate batchInput,
    ValueTemplate writerParameters) {}
