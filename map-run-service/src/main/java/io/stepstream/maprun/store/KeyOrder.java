package io.stepstream.maprun.store;

import java.util.Comparator;

/**
 * S3's key order: ascending UTF-8 bytes, which is Unicode code point order. It differs from
 * {@link String#compareTo} (UTF-16 units) for characters above U+FFFF against those in U+E000..U+FFFF.
 */
final class KeyOrder {

  static final Comparator<String> UTF8 = KeyOrder::compare;

  private KeyOrder() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
