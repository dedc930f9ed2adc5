package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The input and output processing fields of a state: paths, payload templates with {@code .$} keys
 * (paths or intrinsic functions), JSONata expressions and {@code Assign}. Each field is checked only in
 * the query language it belongs to; using it in the other language is reported by {@link StateChecker}.
 */
final class DataFlowChecker {

  private static final int MAX_VARIABLE_NAME_LENGTH = 80;

  private DataFlowChecker() {}

  /** Checks the data-flow fields a state of any type may have. */
  static void check(StateContext state) {
    Fields fields = state.fields();
    if (state.isJsonata()) {
      for (String field : new String[] {"Arguments", "Output"}) {
        if (fields.has(field)) {
          jsonataValue(fields.get(field), fields.at(field), fields.findings());
        }
      }
    } else {
      path(fields, "InputPath");
      path(fields, "OutputPath");
      referencePath(fields, "ResultPath");
      template(fields, "Parameters");
      template(fields, "ResultSelector");
    }
    assign(fields, state.language());
  }

  /** An integer field; in a JSONata state it may instead be a {@code {% %}} expression. */
  static void integerOrJsonata(StateContext state, String field, long min, long max) {
    if (!jsonataString(state, field)) {
      state.fields().integer(field, min, max);
    }
  }

  /** A number field; in a JSONata state it may instead be a {@code {% %}} expression. */
  static void numberOrJsonata(StateContext state, String field, double min, double max) {
    if (!jsonataString(state, field)) {
      state.fields().number(field, min, max);
    }
  }

  /** When the field is a string in a JSONata state, checks it as an expression and returns true. */
  static boolean jsonataString(StateContext state, String field) {
    JsonNode node = state.fields().get(field);
    if (!state.isJsonata() || node == null || !node.isTextual()) {
      return false;
    }
    String error = ExpressionSyntax.jsonataError(node.textValue());
    if (error != null) {
      state.findings().schema(error, state.fields().at(field));
    }
    return true;
  }

  /** A nullable JSONPath field. */
  static void path(Fields fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      return;
    }
    String text = fields.string(field);
    if (text != null && ExpressionSyntax.pathError(text) != null) {
      fields.findings().schema("Value must be a valid JSONPath.", fields.at(field));
    }
  }

  /** A JSONPath field that reads exactly one value (SecondsPath, MaxConcurrencyPath...); not nullable. */
  static void definitePath(Fields fields, String field) {
    String text = fields.string(field);
    if (text != null && ExpressionSyntax.definitePathError(text) != null) {
      fields.findings().schema("Value must be a valid JSONPath.", fields.at(field));
    }
  }

  /** A nullable Reference Path field (ResultPath). */
  static void referencePath(Fields fields, String field) {
    JsonNode node = fields.get(field);
    if (node == null || node.isNull()) {
      return;
    }
    String text = fields.string(field);
    String error = text == null ? null : ExpressionSyntax.referencePathError(text);
    if (error != null) {
      fields.findings().schema("Value is not a Reference Path: " + error, fields.at(field));
    }
  }

  /** A JSONPath field that may also be an intrinsic function call (ErrorPath, CausePath). */
  static void pathOrIntrinsic(Fields fields, String field) {
    String text = fields.string(field);
    if (text != null && PayloadTemplates.dynamicValueError(text) != null) {
      fields.findings().schema("The value for the field '" + field
          + "' must be a valid JSONPath or a valid intrinsic function call", fields.at(field));
    }
  }

  /** A payload template field (Parameters, ResultSelector, ItemSelector): an object. */
  static void template(Fields fields, String field) {
    ObjectNode template = fields.objectField(field);
    if (template != null) {
      PayloadTemplates.check(template, fields.at(field), fields.findings());
    }
  }

  /** Checks every string inside {@code value} that is written as a JSONata expression. */
  static void jsonataValue(JsonNode value, String pointer, Findings findings) {
    if (value.isTextual()) {
      String text = value.textValue();
      if (ExpressionSyntax.isJsonata(text)) {
        String error = ExpressionSyntax.jsonataError(text);
        if (error != null) {
          findings.schema(error, pointer);
        }
      }
    } else if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        jsonataValue(entry.getValue(), Pointer.child(pointer, entry.getKey()), findings);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        jsonataValue(value.get(i), Pointer.child(pointer, i), findings);
      }
    }
  }

  /**
   * {@code Assign}: an object whose keys are variable names. In JSONPath a key ending in {@code .$} takes
   * a path or intrinsic as in a payload template; in JSONata values may be expressions.
   */
  static void assign(Fields fields, QueryLanguage language) {
    ObjectNode assign = fields.objectField("Assign");
    if (assign == null) {
      return;
    }
    String pointer = fields.at("Assign");
    Findings findings = fields.findings();
    for (Iterator<String> names = assign.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      String variable = language == QueryLanguage.JSONPATH && key.endsWith(".$")
          ? key.substring(0, key.length() - 2) : key;
      String error = variableNameError(variable);
      if (error != null) {
        findings.schema(error, Pointer.child(pointer, key));
      }
    }
    if (language == QueryLanguage.JSONATA) {
      jsonataValue(assign, pointer, findings);
    } else {
      PayloadTemplates.check(assign, pointer, findings);
    }
  }

  /** Why {@code name} cannot be a variable name, or null when it can. */
  static String variableNameError(String name) {
    if (name.equals("states")) {
      return "Cannot assign to reserved variable '$states'";
    }
    if (name.isEmpty() || name.length() > MAX_VARIABLE_NAME_LENGTH) {
      return "Invalid variable name '" + name + "': the length must be between 1 and " + MAX_VARIABLE_NAME_LENGTH;
    }
    char first = name.charAt(0);
    boolean valid = Character.isLetter(first) || first == '_';
    for (int i = 1; valid && i < name.length(); i++) {
      char c = name.charAt(i);
      valid = Character.isLetterOrDigit(c) || c == '_';
    }
    return valid ? null
        : "Invalid variable name '" + name + "': the variable name contains invalid characters";
  }
}
