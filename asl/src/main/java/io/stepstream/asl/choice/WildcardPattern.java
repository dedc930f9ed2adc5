package io.stepstream.asl.choice;

import java.util.ArrayList;
import java.util.List;

/**
 * The pattern of a {@code StringMatches} rule: {@code *} matches any run of characters (including
 * none), everything else matches itself. A backslash makes the next character literal, so the decoded
 * pattern {@code \*} matches a star and {@code \\} a backslash (in the JSON text, {@code "\\*"} and
 * {@code "\\\\"}); a trailing lone backslash matches a backslash.
 *
 * <p>Compiled into the literal pieces between stars, matched without regular expressions or
 * backtracking: with only {@code *} as a wildcard, taking each middle piece at its leftmost
 * occurrence is always correct. Immutable and thread-safe.
 */
final class WildcardPattern {

  private final String[] pieces;
  private final boolean hasStar;

  private WildcardPattern(String[] pieces, boolean hasStar) {
    this.pieces = pieces;
    this.hasStar = hasStar;
  }

  /** Compiles a decoded pattern string. Every string is a valid pattern. */
  static WildcardPattern compile(String pattern) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    boolean hasStar = false;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        piece.append(pattern.charAt(++i));
      } else if (c == '*') {
        hasStar = true;
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        piece.append(c);
      }
    }
    pieces.add(piece.toString());
    return new WildcardPattern(pieces.toArray(String[]::new), hasStar);
  }

  /** True when the whole of {@code text} matches. */
  boolean matches(String text) {
    if (!hasStar) {
      return text.equals(pieces[0]);
    }
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (text.length() < first.length() + last.length() || !text.startsWith(first) || !text.endsWith(last)) {
      return false;
    }
    int from = first.length();
    int end = text.length() - last.length();
    for (int k = 1; k < pieces.length - 1; k++) {
      String middle = pieces[k];
      int at = text.indexOf(middle, from);
      if (at < 0 || at + middle.length() > end) {
        return false;
      }
      from = at + middle.length();
    }
    return true;
  }
}
