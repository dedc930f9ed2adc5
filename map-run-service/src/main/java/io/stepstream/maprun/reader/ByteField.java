package io.stepstream.maprun.reader;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer for one line or field, decoded as UTF-8 once complete. */
final class ByteField {

  private byte[] bytes = new byte[256];
  private int length;

  void add(int b) {
    if (length == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    bytes[length++] = (byte) b;
  }

  void add(byte[] source, int offset, int count) {
    if (length + count > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
    }
    System.arraycopy(source, offset, bytes, length, count);
    length += count;
  }

  int length() {
    return length;
  }

  byte[] bytes() {
    return bytes;
  }

  /** The content as text; invalid UTF-8 becomes U+FFFD, as Java's decoders do. */
  String text() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  void clear() {
    length = 0;
    if (bytes.length > 64 * 1024) {
      bytes = new byte[256]; // let one huge field not pin its buffer for the rest of the page
    }
  }
}
