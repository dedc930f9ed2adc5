package io.stepstream.asl.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepstream.asl.errors.StatesErrors;
import java.util.Set;

/**
 * {@code Retry} and {@code Catch} of Task, Parallel and Map states: the fields of each retrier and
 * catcher, their numbers, and the rule that {@code States.ALL} appears alone in the last entry.
 */
final class ErrorHandlingChecker {

  private static final Set<String> RETRIER = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
      "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
  private static final Set<String> CATCHER = Set.of("ErrorEquals", "Next", "ResultPath", "Output", "Assign",
      "Comment");
  private static final long MAX_SECONDS = 99_999_999L;
  private static final long MAX_DELAY_SECONDS = 31_622_400L;
  private static final String STATES_ALL_RULE = "States.ALL must appear alone and at end of list";

  private ErrorHandlingChecker() {}

  static void check(StateContext state) {
    Fields fields = state.fields();
    ArrayNode retry = fields.array("Retry");
    if (retry != null) {
      for (int i = 0; i < retry.size(); i++) {
        Fields retrier = entry(fields, "Retry", retry, i);
        if (retrier != null) {
          retrier(retrier, i == retry.size() - 1);
        }
      }
    }
    ArrayNode catchers = fields.array("Catch");
    if (catchers != null) {
      for (int i = 0; i < catchers.size(); i++) {
        Fields catcher = entry(fields, "Catch", catchers, i);
        if (catcher != null) {
          catcher(catcher, i == catchers.size() - 1, state.language());
        }
      }
    }
  }

  private static Fields entry(Fields state, String field, ArrayNode entries, int index) {
    String pointer = Pointer.child(state.at(field), index);
    JsonNode entry = entries.get(index);
    if (!entry.isObject()) {
      state.findings().schema("Expected value of type Object", pointer);
      return null;
    }
    return new Fields((ObjectNode) entry, pointer, state.findings());
  }

  private static void retrier(Fields retrier, boolean last) {
    retrier.allowOnly(RETRIER);
    errorEquals(retrier, last);
    retrier.string("Comment");
    retrier.integer("IntervalSeconds", 1, MAX_SECONDS);
    retrier.integer("MaxAttempts", 0, MAX_SECONDS);
    retrier.number("BackoffRate", 1.0, Double.MAX_VALUE);
    retrier.integer("MaxDelaySeconds", 1, MAX_DELAY_SECONDS);
    retrier.oneOf("JitterStrategy", "FULL", "NONE");
  }

  private static void catcher(Fields catcher, boolean last, QueryLanguage language) {
    for (var names = catcher.object().fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!CATCHER.contains(name)) {
        catcher.notSupported(name);
      } else if (language == QueryLanguage.JSONATA && name.equals("ResultPath")
          || language == QueryLanguage.JSONPATH && name.equals("Output")) {
        catcher.wrongLanguage(name, language);
      }
    }
    errorEquals(catcher, last);
    catcher.require("Next");
    catcher.string("Next");
    catcher.string("Comment");
    if (language == QueryLanguage.JSONPATH) {
      DataFlowChecker.referencePath(catcher, "ResultPath");
    } else if (catcher.has("Output")) {
      DataFlowChecker.jsonataValue(catcher.get("Output"), catcher.at("Output"), catcher.findings());
    }
    DataFlowChecker.assign(catcher, language);
  }

  private static void errorEquals(Fields entry, boolean last) {
    entry.require("ErrorEquals");
    ArrayNode errors = entry.nonEmptyArray("ErrorEquals");
    if (errors == null) {
      return;
    }
    for (int i = 0; i < errors.size(); i++) {
      JsonNode error = errors.get(i);
      if (!error.isTextual()) {
        entry.findings().schema("Expected value of type String", Pointer.child(entry.at("ErrorEquals"), i));
      } else if (error.textValue().equals(StatesErrors.ALL) && (errors.size() > 1 || !last)) {
        entry.findings().schema(STATES_ALL_RULE, entry.at("ErrorEquals"));
      }
    }
  }
}
