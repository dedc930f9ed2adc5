package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Payload templates of JSONPath states (Parameters, ResultSelector, ItemSelector, Assign): every key
 * ending in {@code .$} must hold a path or an intrinsic function call, at any depth.
 */
final class PayloadTemplates {

  private PayloadTemplates() {}

  /**
   * Checks a template; problems are located at the object holding the key, as AWS reports them
   * ({@code ... at /States/A/Parameters}).
   */
  static void check(JsonNode template, String pointer, Findings findings) {
    if (template.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = template.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        if (key.endsWith(".$")) {
          if (!value.isTextual() || dynamicValueError(value.textValue()) != null) {
            findings.schema("The value for the field '" + key
                + "' must be a valid JSONPath or a valid intrinsic function call", pointer);
          }
        } else {
          check(value, Pointer.child(pointer, key), findings);
        }
      }
    } else if (template.isArray()) {
      for (int i = 0; i < template.size(); i++) {
        check(template.get(i), Pointer.child(pointer, i), findings);
      }
    }
  }

  /** Why {@code text} is neither a JSONPath nor an intrinsic function call, or null when it is one. */
  static String dynamicValueError(String text) {
    if (text.startsWith("$")) {
      return ExpressionSyntax.pathError(text);
    }
    return ExpressionSyntax.intrinsicError(text);
  }
}
