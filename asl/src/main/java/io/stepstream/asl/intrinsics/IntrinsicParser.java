package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.asl.dataflow.JsonPathExpression;
import io.stepstream.asl.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent parser of one intrinsic call, such as
 * {@code States.Format('{} {}', $.a, States.MathAdd($$.Map.Item.Index, 1))}.
 *
 * <p>String literals are single-quoted; inside them only {@code \'}, <code>\{</code>, <code>\}</code> and
 * {@code \\} are escapes (AWS rejects a definition with any other backslash sequence).
 */
final class IntrinsicParser {
  private static final String PREFIX = "States.";

  private final String text;
  private int pos;

  private IntrinsicParser(String text) {
    this.text = text;
  }

  static IntrinsicCall parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("an intrinsic function call is required, got null");
    }
    IntrinsicParser parser = new IntrinsicParser(text);
    parser.skipSpaces();
    IntrinsicCall call = parser.call();
    parser.skipSpaces();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the closing parenthesis");
    }
    return call;
  }

  private IntrinsicCall call() {
    if (!text.startsWith(PREFIX, pos)) {
      throw error("expected a call of a 'States.' function");
    }
    int nameStart = pos;
    pos += PREFIX.length();
    while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
      pos++;
    }
    String name = text.substring(nameStart, pos);
    StatesFunction function = StatesFunction.byName(name);
    if (function == null) {
      throw new IllegalArgumentException("unknown intrinsic function '" + name + "' in '" + text + "'");
    }
    skipSpaces();
    expect('(');
    List<Argument> arguments = new ArrayList<>();
    skipSpaces();
    if (peek() == ')') {
      pos++;
    } else {
      while (true) {
        skipSpaces();
        arguments.add(argument());
        skipSpaces();
        char c = peek();
        pos++;
        if (c == ')') {
          break;
        }
        if (c != ',') {
          pos--;
          throw error("expected ',' or ')'");
        }
      }
    }
    return new IntrinsicCall(function, List.copyOf(arguments), text);
  }

  private Argument argument() {
    char c = peek();
    if (c == '\'') {
      return string();
    }
    if (c == '$') {
      return path();
    }
    if (c == '-' || Character.isDigit(c)) {
      return number();
    }
    if (text.startsWith(PREFIX, pos)) {
      return new Argument.Call(call());
    }
    for (String keyword : new String[] {"true", "false", "null"}) {
      if (text.startsWith(keyword, pos) && !isWordChar(pos + keyword.length())) {
        pos += keyword.length();
        return new Argument.Literal(Json.parse(keyword), null);
      }
    }
    throw error("expected an argument (a 'string', a number, true, false, null, a path or a States. call)");
  }

  private Argument string() {
    int rawStart = ++pos;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string literal");
      }
      char c = text.charAt(pos);
      if (c == '\'') {
        String raw = text.substring(rawStart, pos);
        pos++;
        return new Argument.Literal(Json.NODES.textNode(value.toString()), raw);
      }
      if (c == '\\') {
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        if (next != '\'' && next != '{' && next != '}' && next != '\\') {
          throw error("invalid escape sequence in a string literal (only \\', \\{, \\} and \\\\ are allowed)");
        }
        value.append(next);
        pos += 2;
      } else {
        value.append(c);
        pos++;
      }
    }
  }

  private Argument path() {
    int start = pos;
    int brackets = 0;
    int parens = 0;
    char quote = 0;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (quote != 0) {
        if (c == '\\') {
          pos++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[') {
        brackets++;
      } else if (c == ']') {
        brackets--;
      } else if (c == '(') {
        parens++;
      } else if (c == ')') {
        if (parens == 0 && brackets == 0) {
          break;
        }
        parens--;
      } else if (c == ',' && parens == 0 && brackets == 0) {
        break;
      }
      pos++;
    }
    String pathText = text.substring(start, pos).strip();
    try {
      return new Argument.Path(JsonPathExpression.compile(pathText));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid path argument '" + pathText + "' in '" + text + "': "
          + e.getMessage());
    }
  }

  private Argument number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos == digits) {
      throw error("expected a number");
    }
    boolean decimal = false;
    if (peek() == '.') {
      decimal = true;
      pos++;
      int fraction = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == fraction) {
        throw error("expected digits after the decimal point");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      decimal = true;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      int exponent = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == exponent) {
        throw error("expected digits in the exponent");
      }
    }
    if (isWordChar(pos)) {
      throw error("invalid number");
    }
    String literal = text.substring(start, pos);
    return new Argument.Literal(numberNode(literal, decimal), null);
  }

  private static JsonNode numberNode(String literal, boolean decimal) {
    if (decimal) {
      return Json.NODES.numberNode(new BigDecimal(literal).doubleValue());
    }
    BigInteger value = new BigInteger(literal);
    if (value.bitLength() < 32) {
      return Json.NODES.numberNode(value.intValue());
    }
    if (value.bitLength() < 64) {
      return Json.NODES.numberNode(value.longValue());
    }
    return Json.NODES.numberNode(value);
  }

  private boolean isWordChar(int at) {
    if (at >= text.length()) {
      return false;
    }
    char c = text.charAt(at);
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : 0;
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException("invalid intrinsic function call '" + text + "': " + what
        + " at position " + pos);
  }
}
