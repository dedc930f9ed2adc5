package io.stepstream.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a recorded value with ours where LocalStack's snapshot transformers masked volatile values.
 *
 * <p>The rules are the corpus README's: a value that is exactly a placeholder matches any value; a
 * string that contains {@code <...>} tokens matches when its literal parts agree. Only the case's
 * listed {@code wildcards} are placeholders (the README guarantees the list holds every one that occurs
 * in {@code expected}), so a literal {@code "date"} elsewhere is still compared. The same token stands
 * for the same value throughout a case ({@code <uuid:1>} twice is one UUID), so the first value a token
 * matches binds it. One more mask is implicit: {@code 111111111111} is the masked account id inside ARNs
 * and matches any twelve digits.
 *
 * <p>Not thread-safe: one instance per case, because of the bindings.
 */
final class Placeholders {

  static final String MASKED_ACCOUNT = "111111111111";
  private static final Pattern TOKEN_SHAPE = Pattern.compile("<[^<>]+>");

  /** Placeholders that only ever stand alone ("date", "snf_role_arn", "RandomNumberGenerated", ...). */
  private final List<String> whole = new ArrayList<>();
  /** {@code <...>} tokens, which may also sit inside a longer string. */
  private final List<String> tokens = new ArrayList<>();
  private final Pattern tokenFinder;
  private final Map<String, String> bindings = new HashMap<>();

  Placeholders(List<String> wildcards) {
    for (String wildcard : wildcards) {
      (TOKEN_SHAPE.matcher(wildcard).matches() ? tokens : whole).add(wildcard);
    }
    List<String> alternatives = new ArrayList<>(tokens);
    alternatives.add(MASKED_ACCOUNT);
    // Longest first, so that no token is split by a shorter one it contains.
    alternatives.sort(Comparator.comparingInt(String::length).reversed());
    tokenFinder = Pattern.compile(String.join("|", alternatives.stream().map(Pattern::quote).toList()));
  }

  /**
   * The first difference between a recorded value and ours, or null when they match.
   *
   * @param path where the values sit, for the message (e.g. {@code "output"})
   */
  String difference(String path, JsonNode expected, JsonNode actual) {
    if (actual == null) {
      return path + ": missing, expected " + abbreviate(Json.write(expected));
    }
    if (expected.isTextual()) {
      return textDifference(path, expected.textValue(), actual);
    }
    if (expected.isObject()) {
      if (!actual.isObject()) {
        return mismatch(path, expected, actual);
      }
      for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        String difference = difference(path + "." + name, expected.get(name), actual.get(name));
        if (difference != null) {
          return difference;
        }
      }
      for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!expected.has(name)) {
          return path + "." + name + ": unexpected field, value " + abbreviate(Json.write(actual.get(name)));
        }
      }
      return null;
    }
    if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        return mismatch(path, expected, actual);
      }
      for (int i = 0; i < expected.size(); i++) {
        String difference = difference(path + "[" + i + "]", expected.get(i), actual.get(i));
        if (difference != null) {
          return difference;
        }
      }
      return null;
    }
    if (expected.isNumber() && actual.isNumber()) {
      return sameNumber(expected, actual) ? null : mismatch(path, expected, actual);
    }
    return expected.equals(actual) ? null : mismatch(path, expected, actual);
  }

  /** Whether our text matches recorded text that may hold placeholders. */
  boolean matchesText(String expected, String actual) {
    if (whole.contains(expected)) {
      return true;
    }
    if (tokens.contains(expected)) {
      return bind(expected, actual);
    }
    Matcher tokenMatcher = tokenFinder.matcher(expected);
    if (!tokenMatcher.find()) {
      return expected.equals(actual);
    }
    StringBuilder regex = new StringBuilder();
    Map<String, String> groups = new HashMap<>();
    int literalStart = 0;
    do {
      regex.append(Pattern.quote(expected.substring(literalStart, tokenMatcher.start())));
      String token = tokenMatcher.group();
      if (token.equals(MASKED_ACCOUNT)) {
        regex.append("\\d{12}");
      } else if (bindings.containsKey(token)) {
        regex.append(Pattern.quote(bindings.get(token)));
      } else if (groups.containsKey(token)) {
        regex.append("\\k<").append(groups.get(token)).append('>');
      } else {
        String group = "g" + groups.size();
        groups.put(token, group);
        regex.append("(?<").append(group).append(">.*)");
      }
      literalStart = tokenMatcher.end();
    } while (tokenMatcher.find());
    regex.append(Pattern.quote(expected.substring(literalStart)));
    Matcher matcher = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(actual);
    if (!matcher.matches()) {
      return false;
    }
    groups.forEach((token, group) -> bindings.put(token, matcher.group(group)));
    return true;
  }

  private String textDifference(String path, String expected, JsonNode actual) {
    if (whole.contains(expected)) {
      return null;
    }
    if (tokens.contains(expected)) {
      // A transformer may have masked a value of any type (States.MathRandom's number, say).
      String value = actual.isTextual() ? actual.textValue() : Json.write(actual);
      return bind(expected, value) ? null
          : path + ": " + expected + " was " + abbreviate(quote(bindings.get(expected))) + " before, here "
              + abbreviate(quote(value));
    }
    if (actual.isTextual() && matchesText(expected, actual.textValue())) {
      return null;
    }
    return path + ": expected " + abbreviate(Json.write(Json.NODES.textNode(expected))) + ", got "
        + abbreviate(Json.write(actual));
  }

  private boolean bind(String token, String value) {
    String bound = bindings.putIfAbsent(token, value);
    return bound == null || bound.equals(value);
  }

  /** Same value and same form: {@code 1} and {@code 1.0} differ, as in AWS's output text. */
  private static boolean sameNumber(JsonNode expected, JsonNode actual) {
    if (expected.isIntegralNumber() != actual.isIntegralNumber()) {
      return false;
    }
    return expected.isIntegralNumber()
        ? expected.bigIntegerValue().equals(actual.bigIntegerValue())
        : expected.decimalValue().compareTo(actual.decimalValue()) == 0;
  }

  private static String quote(String text) {
    return Json.write(Json.NODES.textNode(text));
  }

  private static String mismatch(String path, JsonNode expected, JsonNode actual) {
    return path + ": expected " + abbreviate(Json.write(expected)) + ", got " + abbreviate(Json.write(actual));
  }

  /** Keeps failure lines short: long values are cut in the middle. */
  static String abbreviate(String text) {
    if (text == null || text.length() <= 160) {
      return text;
    }
    return text.substring(0, 110) + " ... " + text.substring(text.length() - 40);
  }
}
