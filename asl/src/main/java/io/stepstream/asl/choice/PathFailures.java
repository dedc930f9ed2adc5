package io.stepstream.asl.choice;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.stepstream.asl.dataflow.EvaluationScope;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.errors.StatesException;
import io.stepstream.asl.json.Json;
import java.util.EnumSet;

/**
 * Builds the States.Runtime error AWS raises when a Choice rule's path selects nothing, e.g.
 * {@code Invalid path '$.missing' : No results for path: $['missing']}.
 *
 * <p>The text after the colon is Jayway JsonPath's own message (AWS evaluates paths with Jayway: its
 * InputPath failures read the same), so the failing path is re-read with Jayway here. That happens only
 * on the failure path, never while a rule matches normally. The state handler adds AWS's
 * "An error occurred while executing the state ..." prefix.
 */
final class PathFailures {

  private static final Configuration STRICT = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(Json.MAPPER))
      .mappingProvider(new JacksonMappingProvider(Json.MAPPER))
      .options(EnumSet.noneOf(Option.class))
      .build();

  private PathFailures() {}

  /** The exception for {@code path} selecting nothing in {@code scope}. */
  static StatesException notFound(JsonPathExpression path, EvaluationScope scope) {
    return StatesException.runtime("Invalid path '" + path.text() + "' : " + jaywayMessage(path, scope));
  }

  private static String jaywayMessage(JsonPathExpression path, EvaluationScope scope) {
    String text = path.text();
    String belowRoot = switch (path.root()) {
      case INPUT -> text.substring(1);
      case CONTEXT -> text.substring(2);
      case VARIABLE -> text.substring(1 + path.variable().length());
    };
    JsonPath jayway = JsonPath.compile("$" + belowRoot);
    JsonNode base = switch (path.root()) {
      case INPUT -> scope.input();
      case CONTEXT -> scope.context();
      case VARIABLE -> scope.variables().lookup(path.variable());
    };
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
