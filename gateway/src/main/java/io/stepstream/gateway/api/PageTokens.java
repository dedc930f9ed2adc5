package io.stepstream.gateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The encoding of pagination tokens: opaque to clients (URL-safe base64 of a few text parts), and
 * refused with {@code InvalidToken} when they do not decode to the expected number of parts. What
 * the parts mean, and that a token is bound to the request it continues, is up to each listing.
 */
public final class PageTokens {

  private static final String SEPARATOR = "\n";

  private PageTokens() {}

  /** A token of these parts (none may contain a line feed). */
  public static String encode(String... parts) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(String.join(SEPARATOR, parts).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The parts of a token.
   *
   * @throws ApiException {@code InvalidToken} when it is not a token of {@code count} parts
   */
  public static String[] decode(String token, int count) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(SEPARATOR, -1);
      if (parts.length == count) {
        return parts;
      }
    } catch (IllegalArgumentException e) {
      // Not base64: a token we did not issue, answered below.
    }
    throw ApiErrors.invalidToken(token);
  }

  /**
   * A number inside a token.
   *
   * @throws ApiException {@code InvalidToken} when it is not one
   */
  public static long number(String token, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidToken(token);
    }
  }
}
