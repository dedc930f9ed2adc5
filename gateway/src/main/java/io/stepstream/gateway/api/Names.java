package io.stepstream.gateway.api;

/**
 * Step Functions' rules for resource names (state machines, executions): 1 to 80 characters, none
 * of them whitespace, brackets {@code < > { } [ ]}, wildcards {@code ? *}, the characters
 * {@code " # % \ ^ | ~ ` $ & , ; : /}, or control characters (U+0000-U+001F, U+007F-U+009F).
 */
public final class Names {

  /** The longest allowed name. */
  public static final int MAX_LENGTH = 80;

  private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

  private Names() {
  }

  /** Returns true when the name follows the rules. */
  public static boolean isValid(String name) {
    if (name == null || name.isEmpty() || name.codePointCount(0, name.length()) > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c <= 0x1F || (c >= 0x7F && c <= 0x9F)
          || FORBIDDEN.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the name if it follows the rules.
   *
   * @throws ApiException {@code InvalidName} otherwise
   */
  public static String require(String name) {
    if (!isValid(name)) {
      throw ApiErrors.invalidName(name);
    }
    return name;
  }
}
