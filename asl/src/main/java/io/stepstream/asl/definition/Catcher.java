package io.stepstream.asl.definition;

import io.stepstream.asl.dataflow.JsonPathExpression;
import java.util.List;

/**
 * One rule of a state's {@code Catch} list.
 *
 * @param resultPath JSONPath states: where the error output goes in the state input; null for
 *     {@code "ResultPath": null} (discard); {@link #discardResult} tells the two nulls apart
 * @param output JSONata states: the {@code Output} template, or null (the error output)
 * @param assign the {@code Assign} template, or null
 */
public record Catcher(
    List<String> errorEquals,
    String next,
    JsonPathExpression resultPath,
    boolean discardResult,
    ValueTemplate output,
    ValueTemplate assign) {}
