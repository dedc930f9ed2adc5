package io.stepstream.asl.jsonata;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the {@code $name} references of a JSONata expression, so that only those variables are
 * looked up and converted at evaluation time (workflow variables cannot be enumerated, and
 * converting unused ones would cost time).
 *
 * <p>It over-approximates: a name bound inside the expression ({@code $x := 1}, a lambda parameter)
 * is reported too, which is harmless because an inner binding shadows the outer one. It never
 * misses a reference outside string literals, comments and regex literals, which it skips.
 */
final class VariableReferences {

  private VariableReferences() {}

  /** The referenced names, without the {@code $}, in order of first appearance. */
  static Set<String> of(String expression) {
    Set<String> names = new LinkedHashSet<>();
    int length = expression.length();
    char previous = 0; // last significant character, to tell a regex from a division
    int i = 0;
    while (i < length) {
      char c = expression.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipQuoted(expression, i, c);
        previous = c;
      } else if (c == '/' && i + 1 < length && expression.charAt(i + 1) == '*') {
        int end = expression.indexOf("*/", i + 2);
        i = end < 0 ? length : end + 2;
      } else if (c == '/' && !endsOperand(previous)) {
        i = skipRegex(expression, i);
        previous = '/';
      } else if (c == '$') {
        int start = i + 1;
        int end = start;
        while (end < length && isNameChar(expression.charAt(end))) {
          end++;
        }
        if (end > start) {
          names.add(expression.substring(start, end));
        }
        i = end;
        previous = 'a';
      } else {
        if (!Character.isWhitespace(c)) {
          previous = c;
        }
        i++;
      }
    }
    return names;
  }

  private static int skipQuoted(String s, int start, char quote) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }

  private static int skipRegex(String s, int start) {
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '/') {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }

  /** Whether a '/' after this character is a division (it follows an operand) rather than a regex. */
  private static boolean endsOperand(char previous) {
    return previous == ')' || previous == ']' || previous == '}' || previous == '"' || previous == '\''
        || previous == '`' || isNameChar(previous);
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
