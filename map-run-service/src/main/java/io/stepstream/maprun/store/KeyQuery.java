package io.stepstream.maprun.store;

/**
 * Which keys a ListObjectsV2 call selects, and which key prefixes may still hold such keys (so that a
 * listing over directories can skip whole subtrees).
 */
record KeyQuery(String prefix, String delimiter, String startAfter) {

  KeyQuery {
    prefix = prefix == null ? "" : prefix;
    delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
    startAfter = startAfter == null || startAfter.isEmpty() ? null : startAfter;
  }

  /** Whether the listing returns {@code key} as an object. */
  boolean selects(String key) {
    return key.startsWith(prefix)
        && (startAfter == null || KeyOrder.compare(key, startAfter) > 0)
        && (delimiter == null || !key.substring(prefix.length()).contains(delimiter));
  }

  /** Whether any key starting with {@code keyPrefix} may be selected. */
  boolean mayHoldKeysUnder(String keyPrefix) {
    if (!keyPrefix.startsWith(prefix) && !prefix.startsWith(keyPrefix)) {
      return false;
    }
    // Every key under keyPrefix sorts before startAfter when startAfter is past keyPrefix without
    // extending it: they differ inside keyPrefix, where startAfter is greater.
    if (startAfter != null && KeyOrder.compare(keyPrefix, startAfter) < 0 && !startAfter.startsWith(keyPrefix)) {
      return false;
    }
    // Once the part after the listing prefix holds the delimiter, every key below is rolled up.
    return delimiter == null || keyPrefix.length() <= prefix.length()
        || !keyPrefix.substring(prefix.length()).contains(delimiter);
  }
}
