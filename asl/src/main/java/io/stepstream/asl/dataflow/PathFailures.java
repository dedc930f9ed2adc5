package io.stepstream.asl.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.EnumSet;

/**
 * The States.Runtime errors of a JSONPath that selects nothing, or selects a value its field cannot
 * use, worded as AWS words them. Every such wording lives here, once. AWS words them per family of
 * fields (the wordings come from histories recorded against AWS):
 *
 * <ul>
 *   <li>InputPath, OutputPath, a Choice rule's paths, TimeoutSecondsPath and HeartbeatSecondsPath:
 *       {@code Invalid path '$.a.b' : Missing property in path $['a']} ({@link #invalidPath});</li>
 *   <li>the {@code .$} fields of payload templates and most {@code ...Path} fields: {@code The JSONPath
 *       '$.x' specified for the field 'v.$' could not be found in the input '{...}'} ({@link #notInInput});</li>
 *   <li>a Wait's SecondsPath and TimestampPath: {@code The SecondsPath parameter references a negative
 *       value: $.x == -1} (the {@code parameter...} methods);</li>
 *   <li>a Map's number fields: {@code The MaxConcurrencyPath field refers to value "x" which is not a
 *       valid integer: $.x} ({@link #notAnInteger}, {@link #notAFloat}).</li>
 * </ul>
 *
 * <p>The state handler adds AWS's "An error occurred while executing the state ..." prefix.
 */
public final class PathFailures {

  private static final Configuration STRICT = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
      .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
      .options(EnumSet.noneOf(Option.class))
      .build();

  private PathFailures() {}

  /**
   * {@code Invalid path '<path>' : <reason>}. The reason is Jayway JsonPath's own message (AWS evaluates
   * these paths with Jayway: {@code No results for path: $['x']} for a missing last field,
   * {@code Missing property in path $['a']} for a missing field on the way), so the failing path is
   * read again with Jayway here; that happens only on this failure path.
   */
  public static StatesException invalidPath(JsonPathExpression path, EvaluationScope scope) {
    return StatesException.runtime("Invalid path '" + path.text() + "' : " + jaywayMessage(path, scope));
  }

  /** {@code The JSONPath '<path>' specified for the field '<field>' could not be found in the input '<document>'}. */
  public static StatesException notInInput(JsonPathExpression path, String field, EvaluationScope scope) {
    return StatesException.runtime("The JSONPath '" + path.text() + "' specified for the field '" + field
        + "' could not be found in the input '" + path.quotedDocument(scope) + "'");
  }

  /** An intrinsic function's path argument selects nothing. */
  public static StatesException intrinsicArgumentNotFound(JsonPathExpression path, EvaluationScope scope) {
    return StatesException.runtime("The JsonPath argument for the field '" + path.text()
        + "' could not be found in the input '" + path.quotedDocument(scope) + "'");
  }

  /** A Wait's {@code SecondsPath} (or {@code TimestampPath}) selects nothing. */
  public static StatesException parameterNotInInput(String field, JsonPathExpression path) {
    return StatesException.runtime("The " + field + " parameter does not reference an input value: " + path.text());
  }

  /** A Wait's {@code SecondsPath} selects a negative integer. */
  public static StatesException parameterNegative(String field, JsonPathExpression path, JsonNode value) {
    return StatesException.runtime("The " + field + " parameter references a negative value: "
        + path.text() + " == " + text(value));
  }

  /** A Wait's {@code SecondsPath} selects something that is not an integer (a fraction, negative or not, too). */
  public static StatesException parameterNotALong(String field, JsonPathExpression path, JsonNode value) {
    return StatesException.runtime("The " + field + " parameter cannot be parsed as a long value: "
        + path.text() + " == " + text(value));
  }

  /** A Wait's {@code TimestampPath} selects something that is not an RFC 3339 date-time. */
  public static StatesException parameterNotATimestamp(String field, JsonPathExpression path, JsonNode value) {
    return StatesException.runtime("The " + field + " parameter does not reference a valid ISO-8601 extended offset"
        + " date-time format string: " + path.text() + " == " + text(value));
  }

  /**
   * A Map number field that must be an integer (MaxConcurrencyPath, ToleratedFailureCountPath, MaxItemsPath,
   * MaxItemsPerBatchPath, MaxInputBytesPerBatchPath) selects something else.
   *
   * @param field the field as written, e.g. {@code MaxConcurrencyPath}
   * @param where the path, or the field name when the value did not come from a path
   */
  public static StatesException notAnInteger(String field, String where, JsonNode value) {
    return StatesException.runtime("The " + field + " field refers to value \"" + text(value)
        + "\" which is not a valid integer: " + where);
  }

  /** {@code ToleratedFailurePercentagePath} selects something that is not a number. */
  public static StatesException notAFloat(String field, String where, JsonNode value) {
    return StatesException.runtime("The " + field + " field refers to value \"" + text(value)
        + "\" which is not a valid float: " + where);
  }

  /** A value as AWS quotes it in these messages: a string's characters, anything else as JSON. */
  private static String text(JsonNode value) {
    return value.isTextual() ? value.textValue() : Json.write(value);
  }

  private static String jaywayMessage(JsonPathExpression path, EvaluationScope scope) {
    JsonPath jayway;
    try {
      jayway = JsonPath.compile(path.jaywayPath());
    } catch (RuntimeException e) {
      return "No results for path: " + path.text();
    }
    JsonNode base = path.document(scope);
    if (base == null) {
      return "No results for path: " + jayway.getPath();
    }
    try {
      jayway.read(base, STRICT);
    } catch (PathNotFoundException e) {
      return e.getMessage();
    } catch (RuntimeException e) {
      // Jayway reports some mismatches (e.g. indexing into an object) with other exception types.
      return e.getMessage() == null ? "No results for path: " + jayway.getPath() : e.getMessage();
    }
    return "No results for path: " + jayway.getPath();
  }
}
