package io.stepstream.asl.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A States.Format template split at its {@code {}} placeholders. A backslash makes the next character
 * literal (so {@code \{} is a brace, not a placeholder); a lone <code>{</code> or <code>}</code> makes the
 * template invalid, as on AWS.
 */
final class FormatTemplate {
  private static final FormatTemplate INVALID = new FormatTemplate(null);

  /** The literal text around the placeholders: placeholders = parts.length - 1. Null when invalid. */
  private final String[] parts;

  private FormatTemplate(String[] parts) {
    this.parts = parts;
  }

  static FormatTemplate compile(String template) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int n = template.length();
    for (int i = 0; i < n; i++) {
      char c = template.charAt(i);
      if (c == '\\' && i + 1 < n) {
        current.append(template.charAt(++i));
      } else if (c == '{') {
        if (i + 1 >= n || template.charAt(i + 1) != '}') {
          return INVALID;
        }
        parts.add(current.toString());
        current.setLength(0);
        i++;
      } else if (c == '}') {
        return INVALID;
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    return new FormatTemplate(parts.toArray(new String[0]));
  }

  boolean isValid() {
    return parts != null;
  }

  int placeholders() {
    return parts.length - 1;
  }

  /** Fills the placeholders with {@code values[1..]}; the caller has checked the count. */
  String fill(Invocation invocation) {
    StringBuilder out = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      render(invocation.arg(i), out);
      out.append(parts[i]);
    }
    return out.toString();
  }

  /**
   * Renders a value as AWS does inside States.Format: strings bare, objects and arrays the way a Java
   * map or list prints ({@code {a=1, b=[x, y]}}), other scalars as JSON.
   */
  static void render(JsonNode value, StringBuilder out) {
    if (value.isTextual()) {
      out.append(value.textValue());
    } else if (value.isObject()) {
      out.append('{');
      Iterator<Map.Entry<String, JsonNode>> fields = value.properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        out.append(field.getKey()).append('=');
        render(field.getValue(), out);
        if (fields.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (value.isArray()) {
      out.append('[');
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        render(value.get(i), out);
      }
      out.append(']');
    } else {
      out.append(value.toString());
    }
  }
}
