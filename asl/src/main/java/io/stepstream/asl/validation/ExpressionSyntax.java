package io.stepstream.asl.validation;

import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.intrinsics.IntrinsicFunctions;
import io.stepstream.asl.jsonata.JsonataExpression;

/**
 * Whether the expressions written in a definition parse: JSONPath paths, reference paths, intrinsic
 * function calls and JSONata {@code {% %}} expressions. Each check returns null when the text is fine, or
 * the reason it is not.
 */
final class ExpressionSyntax {

  private ExpressionSyntax() {}

  /** A JSONPath (any root: input, context object or variable). */
  static String pathError(String text) {
    try {
      JsonPathExpression.compile(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** A JSONPath that selects at most one node, as the {@code ...Path} fields that read one value need. */
  static String definitePathError(String text) {
    try {
      return JsonPathExpression.compile(text).isDefinite() ? null : "the path must select a single value";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /**
   * A Reference Path on the state input: {@code $} followed by plain fields and indices only, as
   * {@code ResultPath} needs to write its result there.
   */
  static String referencePathError(String text) {
    if (text == null || !text.startsWith("$")) {
      return "Reference path didn't start with '$'";
    }
    try {
      JsonPathExpression path = JsonPathExpression.compile(text);
      if (path.root() != JsonPathExpression.Root.INPUT) {
        return "Reference path must address the state input ('$')";
      }
      return path.isReferencePath() ? null : "Reference path may only contain fields and array indices";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** An intrinsic function call such as {@code States.Format('{}', $.a)}. */
  static String intrinsicError(String text) {
    if (!IntrinsicFunctions.looksLikeIntrinsic(text)) {
      return "neither a JSONPath nor an intrinsic function call";
    }
    try {
      IntrinsicFunctions.parse(text);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** True for a value written as a JSONata expression: {@code {% ... %}}. */
  static boolean isJsonata(String text) {
    return text.startsWith("{%");
  }

  /** A JSONata expression in its {@code {% %}} delimiters. */
  static String jsonataError(String text) {
    if (!text.startsWith("{%") || !text.endsWith("%}") || text.length() < 4) {
      return "JSONata string must start with {% and end with %}";
    }
    String body = text.substring(2, text.length() - 2);
    if (body.isBlank()) {
      return "JSONata expression cannot be empty";
    }
    try {
      JsonataExpression.compile(body);
      return null;
    } catch (IllegalArgumentException e) {
      return "JSONata expression is invalid: " + e.getMessage();
    }
  }
}
