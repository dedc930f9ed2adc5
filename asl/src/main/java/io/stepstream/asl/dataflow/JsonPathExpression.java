package io.stepstream.asl.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.stepstream.asl.errors.StatesErrors;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A compiled JSONPath of the States Language: rooted at the state input ({@code $}), the context
 * object ({@code $$}) or a variable ({@code $name}).
 *
 * <p>Plain paths ({@code $.a.b[0]['c d']}) are the overwhelming majority and are read by a small
 * walker with no allocation; anything else (wildcards, filters, slices, recursive descent) goes to
 * Jayway JsonPath, which implements the full language. Compiled once per definition; immutable and
 * thread-safe.
 *
 * <p>A member name in brackets is taken literally, as AWS takes it: every character between the
 * opening quote and the matching quote before {@code ]}, backslashes and quotes included
 * ({@code $['a\b']} reads the key {@code a\b}, {@code $["it's"]} the key {@code it's}). Jayway would
 * read a backslash as an escape ({@code \b} as a backspace) and miss a key that exists, so such names
 * never reach it.
 */
public final class JsonPathExpression {

  /** What the path is rooted at. */
  public enum Root { INPUT, CONTEXT, VARIABLE }

  private static final Configuration JAYWAY = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
      .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
      .options(EnumSet.noneOf(Option.class))
      .build();

  private final String text;
  private final Root root;
  private final String variable;
  /** The path below its root, starting with '.' or '[' or empty. */
  private final String rest;
  /** Plain steps (String field or Integer index), or null when Jayway evaluates the path. */
  private final Object[] steps;
  private final JsonPath jayway;

  private JsonPathExpression(String text, Root root, String variable, String rest, Object[] steps, JsonPath jayway) {
    this.text = text;
    this.root = root;
    this.variable = variable;
    this.rest = rest;
    this.steps = steps;
    this.jayway = jayway;
  }

  /**
   * Compiles a path.
   *
   * @throws IllegalArgumentException with a message fit for a diagnostic when the path is invalid
   */
  public static JsonPathExpression compile(String text) {
    if (text == null || !text.startsWith("$")) {
      throw new IllegalArgumentException("a path must start with '$': " + text);
    }
    Root root;
    String variable = null;
    String rest; // the path below the root, starting with '.' or '[' or empty
    if (text.startsWith("$$")) {
      root = Root.CONTEXT;
      rest = text.substring(2);
    } else if (text.length() > 1 && isIdentifierStart(text.charAt(1))) {
      root = Root.VARIABLE;
      int end = 1;
      while (end < text.length() && isIdentifierPart(text.charAt(end))) {
        end++;
      }
      variable = text.substring(1, end);
      rest = text.substring(end);
    } else {
      root = Root.INPUT;
      rest = text.substring(1);
    }
    Object[] steps = parsePlain(rest);
    JsonPath jayway = null;
    if (steps == null) {
      try {
        jayway = JsonPath.compile("$" + rest);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("invalid JSONPath '" + text + "': " + e.getMessage());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("invalid JSONPath '" + text + "'");
      }
    }
    return new JsonPathExpression(text, root, variable, rest, steps, jayway);
  }

  /** The path as written. */
  public String text() {
    return text;
  }

  public Root root() {
    return root;
  }

  /** The variable name for {@link Root#VARIABLE} paths, else null. */
  public String variable() {
    return variable;
  }

  /** True when the path selects at most one node (no wildcard, filter, slice or descent). */
  public boolean isDefinite() {
    return steps != null || jayway.isDefinite();
  }

  /** True for a Reference Path: a plain path of fields and indices that can also be written to. */
  public boolean isReferencePath() {
    return steps != null;
  }

  /**
   * Reads the path in a scope.
   *
   * @return the selected node; for an indefinite path, an array of all matches (possibly empty);
   *     null when a definite path selects nothing or the variable is not declared
   */
  public JsonNode read(EvaluationScope scope) {
    JsonNode base = document(scope);
    if (base == null) {
      return null;
    }
    return readFrom(base);
  }

  /**
   * Reads the path for a state field, failing as AWS fails a path that selects nothing.
   *
   * @param field the field named in the message ("ItemsPath", "value.$")
   * @throws StatesException States.Runtime "The JSONPath '...' specified for the field '...' could not be found in the input '...'"
   */
  public JsonNode readRequired(EvaluationScope scope, String field) {
    JsonNode value = read(scope);
    if (value == null) {
      throw PathFailures.notInInput(this, field, scope);
    }
    return value;
  }

  /** The document the path reads in a scope: the input, the context object or the variable's value (null if undeclared). */
  public JsonNode document(EvaluationScope scope) {
    return switch (root) {
      case INPUT -> scope.input();
      case CONTEXT -> scope.context();
      case VARIABLE -> scope.variables().lookup(variable);
    };
  }

  /** The document the path reads, as quoted in AWS's "could not be found in the input" messages. */
  public String quotedDocument(EvaluationScope scope) {
    JsonNode document = document(scope);
    return Json.write(document == null ? Json.NODES.nullNode() : document);
  }

  /**
   * The path below its root in Jayway's syntax, rooted at {@code $}: the text as written, except that a
   * plain path's member names are written in brackets with Jayway's escapes, so that Jayway reads the
   * same keys (for the messages Jayway words, see {@link PathFailures#invalidPath}).
   */
  String jaywayPath() {
    if (steps == null) {
      return "$" + rest;
    }
    StringBuilder path = new StringBuilder("$");
    for (Object step : steps) {
      if (step instanceof String field) {
        path.append("['").append(field.replace("\\", "\\\\").replace("'", "\\'")).append("']");
      } else {
        path.append('[').append(step).append(']');
      }
    }
    return path.toString();
  }

  /** Reads the path below its root, starting at {@code base}. */
  public JsonNode readFrom(JsonNode base) {
    if (steps != null) {
      JsonNode node = base;
      for (Object step : steps) {
        node = step instanceof String field ? (node.isObject() ? node.get(field) : null) : index(node, (Integer) step);
        if (node == null) {
          return null;
        }
      }
      return node;
    }
    try {
      Object result = jayway.read(base, JAYWAY);
      if (result == null) {
        return Json.NODES.nullNode();
      }
      return result instanceof JsonNode node ? node : Json.MAPPER.valueToTree(result);
    } catch (PathNotFoundException e) {
      return jayway.isDefinite() ? null : Json.array();
    } catch (RuntimeException e) {
      return jayway.isDefinite() ? null : Json.array();
    }
  }

  /**
   * Writes {@code value} at this reference path inside {@code target}, copying only the containers on
   * the way (the target itself is never modified). Missing objects on the way are created.
   *
   * @throws StatesException States.ResultPathMatchFailure when the path runs into a non-object
   */
  public JsonNode write(JsonNode target, JsonNode value) {
    if (steps == null || root != Root.INPUT) {
      throw new IllegalStateException("not a reference path: " + text);
    }
    return write(target, 0, value);
  }

  private JsonNode write(JsonNode node, int depth, JsonNode value) {
    if (depth == steps.length) {
      return value;
    }
    Object step = steps[depth];
    if (step instanceof String field) {
      ObjectNode copy;
      if (node == null || node.isNull() && depth > 0) {
        copy = Json.object();
      } else if (node.isObject()) {
        copy = Json.object().setAll((ObjectNode) node);
      } else {
        throw resultPathMismatch(node);
      }
      copy.set(field, write(node != null && node.isObject() ? node.get(field) : null, depth + 1, value));
      return copy;
    }
    int i = (Integer) step;
    if (node instanceof ArrayNode array && i < array.size()) {
      ArrayNode copy = Json.array();
      copy.addAll(array);
      copy.set(i, write(array.get(i), depth + 1, value));
      return copy;
    }
    throw resultPathMismatch(node);
  }

  private StatesException resultPathMismatch(JsonNode node) {
    return new StatesException(StatesErrors.RESULT_PATH_MATCH_FAILURE,
        "Unable to apply ResultPath \"" + text + "\" to input \"" + (node == null ? "null" : Json.write(node)) + "\"");
  }

  private static JsonNode index(JsonNode node, int i) {
    if (!node.isArray()) {
      return null;
    }
    int size = node.size();
    int at = i < 0 ? size + i : i;
    return at >= 0 && at < size ? node.get(at) : null;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Steps of a plain path ('.name', "['name']", '[n]'), or null when the path needs Jayway. */
  private static Object[] parsePlain(String rest) {
    List<Object> steps = new ArrayList<>();
    int i = 0;
    int n = rest.length();
    while (i < n) {
      char c = rest.charAt(i);
      if (c == '.') {
        int start = ++i;
        while (i < n && rest.charAt(i) != '.' && rest.charAt(i) != '[') {
          char d = rest.charAt(i);
          if (d == '*' || d == '@' || d == '?' || d == '(' || d == ')' || d == ' ' || d == '\'' || d == '"') {
            return null;
          }
          i++;
        }
        if (i == start) {
          return null; // '..' recursive descent, or a trailing '.'
        }
        steps.add(rest.substring(start, i));
      } else if (c == '[') {
        char quote = i + 1 < n ? rest.charAt(i + 1) : 0;
        if (quote == '\'' || quote == '"') {
          // The name runs to the first quote that closes the bracket; nothing inside is an escape.
          int end = rest.indexOf(quote + "]", i + 2);
          if (end < 0 || isUnion(rest.substring(i + 2, end), quote)) {
            return null;
          }
          steps.add(rest.substring(i + 2, end));
          i = end + 2;
          continue;
        }
        int close = rest.indexOf(']', i);
        if (close < 0) {
          return null;
        }
        String inner = rest.substring(i + 1, close);
        if (inner.matches("-?\\d{1,9}")) {
          steps.add(Integer.parseInt(inner));
        } else {
          return null;
        }
        i = close + 1;
      } else {
        return null;
      }
    }
    return steps.toArray();
  }

  /**
   * Whether a bracket's quoted text is Jayway's union of names ({@code ['a','b']}, which selects several
   * members) rather than one name: the closing quote, a comma and an opening quote inside it.
   */
  private static boolean isUnion(String name, char quote) {
    return name.matches("(?s).*" + quote + "\\s*,\\s*" + quote + ".*");
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
