package io.stepstream.asl.definition;

import io.stepstream.asl.dataflow.JsonPathExpression;

/**
 * The input/output processing fields of one state, compiled.
 *
 * <p>JSONPath states use InputPath, Parameters, ResultSelector, ResultPath and OutputPath; JSONata
 * states use Arguments (held in {@code parameters}) and Output. Both may have Assign. A null path
 * with its {@code ...Null} flag set is the explicit JSON {@code null} of ASL; a null path without
 * the flag is the default {@code $}.
 *
 * @param usesContext whether any expression of the state reads the context object, so that the
 *     interpreter builds it only when needed
 */
public record DataFlow(
    QueryLanguage queryLanguage,
    JsonPathExpression inputPath,
    boolean inputPathNull,
    ValueTemplate parameters,
    ValueTemplate resultSelector,
    JsonPathExpression resultPath,
    boolean resultPathNull,
    JsonPathExpression outputPath,
    boolean outputPathNull,
    ValueTemplate output,
    ValueTemplate assign,
    boolean usesContext) {

  public boolean isJsonata() {
    return queryLanguage == QueryLanguage.JSONATA;
  }
}
