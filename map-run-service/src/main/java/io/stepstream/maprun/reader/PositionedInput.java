package io.stepstream.maprun.reader;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered byte stream that knows its position in the object it was opened on, and can look at
 * the next byte without taking it: what a line or record parser needs to hand out exact resume
 * offsets.
 */
final class PositionedInput implements Closeable {

  private static final int BUFFER = 64 * 1024;
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final InputStream in;
  private final byte[] buffer = new byte[BUFFER];
  private int next;
  private int end;
  private long position;

  /** @param start the object offset {@code in} starts at */
  PositionedInput(InputStream in, long start) {
    this.in = in;
    this.position = start;
  }

  /** The object offset of the next byte. */
  long position() {
    return position;
  }

  /** The next byte without taking it, or -1 at the end. */
  int peek() throws IOException {
    return available(1) ? buffer[next] & 0xFF : -1;
  }

  /** Takes the next byte, or returns -1 at the end. */
  int read() throws IOException {
    if (!available(1)) {
      return -1;
    }
    position++;
    return buffer[next++] & 0xFF;
  }

  /**
   * Moves the bytes up to the next {@code \n} (or the end) into {@code line}, taking the {@code \n} too.
   *
   * @return false, with {@code line} holding its first {@code maxBytes + 1} bytes, when the line is longer
   *     than {@code maxBytes}
   */
  boolean readLine(ByteField line, int maxBytes) throws IOException {
    while (available(1)) {
      int from = next;
      while (next < end && buffer[next] != '\n') {
        next++;
      }
      int length = next - from;
      position += length;
      if (line.length() + length > maxBytes) {
        line.add(buffer, from, Math.min(length, maxBytes + 1 - line.length()));
        return false;
      }
      line.add(buffer, from, length);
      if (next < end) {
        next++;
        position++;
        return true;
      }
    }
    return true;
  }

  /** Skips a UTF-8 byte order mark at offset 0, which editors put before CSV and JSON text. */
  void skipByteOrderMark() throws IOException {
    if (position == 0 && available(UTF8_BOM.length) && buffer[next] == UTF8_BOM[0]
        && buffer[next + 1] == UTF8_BOM[1] && buffer[next + 2] == UTF8_BOM[2]) {
      next += UTF8_BOM.length;
      position += UTF8_BOM.length;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Whether {@code count} bytes are buffered, reading more if needed; false only at the end. */
  private boolean available(int count) throws IOException {
    if (end - next >= count) {
      return true;
    }
    System.arraycopy(buffer, next, buffer, 0, end - next);
    end -= next;
    next = 0;
    while (end < count) {
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        return false;
      }
      end += n;
    }
    return true;
  }
}
