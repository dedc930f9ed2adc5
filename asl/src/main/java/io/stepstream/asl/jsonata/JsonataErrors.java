package io.stepstream.asl.jsonata;

import com.dashjoin.jsonata.JException;
import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * AWS's texts for JSONata failures: the causes of {@code States.QueryEvaluationError}.
 *
 * <p>AWS runs JSONata 2.0.6 (JavaScript) and reports {@code "<code>: <message>"}. The Java port
 * keeps the codes and templates but fills them differently, so messages are rebuilt here the
 * JavaScript way: a {@code {{field}}} is the JSON text of the value (numbers unquoted, 3 not 3.0),
 * a {@code {{{field}}}} the raw value; and the port's global rename of "function" to "Object" in
 * the templates is undone.
 */
final class JsonataErrors {

  private static final String FIRST = "\u0000first\u0000";
  private static final String SECOND = "\u0000second\u0000";
  private static final Pattern CAPITAL_OBJECT = Pattern.compile("\\bObject\\b");

  private JsonataErrors() {}

  static StatesException undefined(String expression, String field) {
    return StatesException.queryEvaluation("The JSONata expression '" + expression + "' specified for the field '"
        + field + "' returned nothing (undefined).", field);
  }

  static StatesException unsupported(String expression, String field) {
    return StatesException.queryEvaluation("The JSONata expression '" + expression + "' specified for the field '"
        + field + "' returned an unsupported result type.", field);
  }

  static StatesException unexpectedType(String expression, String field, String expected, JsonNode value) {
    return StatesException.queryEvaluation("The JSONata expression '" + expression + "' specified for the field '"
        + field + "' returned an unexpected result type. Expected '" + expected + "', but was '" + typeName(value)
        + "' for value: " + Json.write(value), field);
  }

  static StatesException failed(String expression, String field, RuntimeException error) {
    return StatesException.queryEvaluation("The JSONata expression '" + expression + "' specified for the field '"
        + field + "' threw an error during evaluation. " + describe(error), field);
  }

  static StatesException stackOverflow(String expression, String field) {
    return StatesException.queryEvaluation("The JSONata expression '" + expression + "' specified for the field '"
        + field + "' threw an error during evaluation. U1001: Stack overflow error: Check for non-terminating "
        + "recursive function.  Consider rewriting as tail-recursive.", field);
  }

  /** The JSONata type name of a JSON value, as {@code $type} gives it. */
  static String typeName(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      default -> "null";
    };
  }

  /** {@code "<code>: <message>"} for a library error; the message alone for any other. */
  static String describe(RuntimeException error) {
    if (error instanceof JException j) {
      return j.getError() + ": " + message(j);
    }
    if (error instanceof StepFunctionsFunctions.FunctionException) {
      return error.getMessage();
    }
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : message;
  }

  private static String message(JException j) {
    String template = JException.msg(j.getError(), -1, FIRST, SECOND);
    if (template.startsWith("JSonataException")) {
      // A code the library has no template for: AWS would say at least the code.
      return j.getMessage() == null ? j.getError() : j.getMessage();
    }
    if (template.equals(FIRST)) {
      // "{{{message}}}" ($error, $assert): the raw text.
      return String.valueOf(j.getCurrent());
    }
    String text = CAPITAL_OBJECT.matcher(template).replaceAll("function");
    text = text.replace("{\"" + FIRST + "\"}", raw(j.getCurrent()))
        .replace("{\"" + SECOND + "\"}", raw(j.getExpected()))
        .replace("\"" + FIRST + "\"", stringify(j.getCurrent()))
        .replace("\"" + SECOND + "\"", stringify(j.getExpected()));
    return text;
  }

  private static String raw(Object value) {
    return value instanceof String s ? s : stringify(value);
  }

  /** JSON.stringify of a library value. */
  private static String stringify(Object value) {
    if (value == null) {
      return "undefined";
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "null";
    }
    if (value instanceof Number n) {
      return jsNumber(n);
    }
    try {
      JsonNode node = JsonataValues.toJson(value);
      return node == null ? "undefined" : Json.write(node);
    } catch (RuntimeException e) {
      return String.valueOf(value);
    }
  }

  private static String jsNumber(Number n) {
    double d = n.doubleValue();
    JsonNode node = JsonataValues.number(n);
    if (node.isIntegralNumber()) {
      return node.asText();
    }
    double abs = Math.abs(d);
    if (abs >= 1e-7 && abs < 1e21) {
      return new BigDecimal(Double.toString(d)).toPlainString();
    }
    String s = Double.toString(d).toLowerCase(Locale.ROOT).replace(".0e", "e");
    return s.contains("e-") ? s : s.replace("e", "e+");
  }
}
