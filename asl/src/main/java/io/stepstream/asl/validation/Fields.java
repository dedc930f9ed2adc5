package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Schema checks on the members of one JSON object (a state, a retrier, a Choice rule...), reporting
 * problems with AWS's schema messages: the object's location for unknown and missing fields, the field's
 * own location for a wrong type or value.
 */
final class Fields {

  private final ObjectNode object;
  private final String pointer;
  private final Findings findings;

  Fields(ObjectNode object, String pointer, Findings findings) {
    this.object = object;
    this.pointer = pointer;
    this.findings = findings;
  }

  ObjectNode object() {
    return object;
  }

  String pointer() {
    return pointer;
  }

  Findings findings() {
    return findings;
  }

  /** The pointer to one member of this object. */
  String at(String field) {
    return Pointer.child(pointer, field);
  }

  boolean has(String field) {
    return object.has(field);
  }

  JsonNode get(String field) {
    return object.get(field);
  }

  /** Reports every member whose name is not in {@code allowed}, in document order. */
  void allowOnly(Set<String> allowed) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        notSupported(name);
      }
    }
  }

  void notSupported(String field) {
    findings.schema("Field '" + field + "' is not supported", pointer);
  }

  /** Reports a field that the other query language owns, in a state evaluated in {@code language}. */
  void wrongLanguage(String field, QueryLanguage language) {
    QueryLanguage other = language == QueryLanguage.JSONATA ? QueryLanguage.JSONPATH : QueryLanguage.JSONATA;
    findings.schema("The QueryLanguage is set to '" + language.fieldValue() + "', but field '" + field
        + "' is only supported for the '" + other.fieldValue() + "' QueryLanguage", pointer);
  }

  /** Reports the missing ones among {@code required}, all in one diagnostic as AWS does. */
  void require(String... required) {
    List<String> missing = new ArrayList<>();
    for (String field : required) {
      if (!object.has(field)) {
        missing.add(field);
      }
    }
    if (!missing.isEmpty()) {
      findings.schema("These fields are required: " + missing, pointer);
    }
  }

  /** Reports when both fields are present; they are alternatives. */
  void exclusive(String first, String second) {
    if (object.has(first) && object.has(second)) {
      findings.schema("Only one of the fields [" + first + ", " + second + "] can be set", pointer);
    }
  }

  /** Reports unless exactly one of {@code fields} is present. */
  void exactlyOne(String... fields) {
    long present = Arrays.stream(fields).filter(object::has).count();
    if (present != 1) {
      findings.schema("Exactly one of the fields " + Arrays.toString(fields) + " must be set", pointer);
    }
  }

  /** The member as text, or null when absent or not a string (reported). */
  String string(String field) {
    JsonNode node = object.get(field);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      typeMismatch(field, "String");
      return null;
    }
    return node.textValue();
  }

  /** The member as an object, or null when absent or not an object (reported). */
  ObjectNode objectField(String field) {
    JsonNode node = object.get(field);
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      typeMismatch(field, "Object");
      return null;
    }
    return (ObjectNode) node;
  }

  /** The member as an array, or null when absent or not an array (reported). */
  ArrayNode array(String field) {
    JsonNode node = object.get(field);
    if (node == null) {
      return null;
    }
    if (!node.isArray()) {
      typeMismatch(field, "Array");
      return null;
    }
    return (ArrayNode) node;
  }

  /** The member as a non-empty array, or null when absent, not an array or empty (reported). */
  ArrayNode nonEmptyArray(String field) {
    ArrayNode array = array(field);
    if (array != null && array.isEmpty()) {
      findings.schema("Value cannot be empty", at(field));
      return null;
    }
    return array;
  }

  /** Checks the member is a boolean when present. */
  void bool(String field) {
    JsonNode node = object.get(field);
    if (node != null && !node.isBoolean()) {
      typeMismatch(field, "Boolean");
    }
  }

  /** Checks the member is one of {@code values} when present. */
  void oneOf(String field, String... values) {
    String value = string(field);
    if (value != null && !Arrays.asList(values).contains(value)) {
      findings.schema("Value should be one of the following: " + Arrays.toString(values), at(field));
    }
  }

  /** Checks the member is an integer within [min, max] when present. */
  void integer(String field, long min, long max) {
    JsonNode node = object.get(field);
    if (node == null) {
      return;
    }
    if (!isInteger(node)) {
      typeMismatch(field, "Integer");
      return;
    }
    range(field, node.decimalValue(), min, max);
  }

  /** Checks the member is a number within [min, max] when present. */
  void number(String field, double min, double max) {
    JsonNode node = object.get(field);
    if (node == null) {
      return;
    }
    if (!node.isNumber()) {
      typeMismatch(field, "Number");
      return;
    }
    range(field, node.decimalValue(), min, max);
  }

  private void range(String field, BigDecimal value, double min, double max) {
    if (value.compareTo(BigDecimal.valueOf(min)) < 0) {
      findings.schema("Minimum value is " + plain(min), at(field));
    } else if (value.compareTo(BigDecimal.valueOf(max)) > 0) {
      findings.schema("Maximum value is " + plain(max), at(field));
    }
  }

  void typeMismatch(String field, String type) {
    findings.schema("Expected value of type " + type, at(field));
  }

  static boolean isInteger(JsonNode node) {
    return node.isIntegralNumber() || node.isFloatingPointNumber() && node.canConvertToExactIntegral();
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
