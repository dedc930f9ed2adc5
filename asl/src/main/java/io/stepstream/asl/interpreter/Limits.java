package io.stepstream.asl.interpreter;

/**
 * Configurable limits of the interpreter.
 *
 * @param maxPayloadBytes the largest state input/output, in UTF-8 bytes (AWS: 256 KiB)
 */
public record Limits(int maxPayloadBytes) {

  public static final Limits DEFAULT = new Limits(256 * 1024);

  /**
   * Whether text is larger than {@link #maxPayloadBytes} in UTF-8. It is counted without encoding it,
   * and only when its length leaves a doubt: a char is at most three bytes (a pair of surrogates is
   * four).
   */
  public boolean exceedsPayload(String text) {
    int length = text.length();
    if (length > maxPayloadBytes) {
      return true;
    }
    if ((long) length * 3 <= maxPayloadBytes) {
      return false;
    }
    long bytes = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        // A lone surrogate is encoded as '?', one byte (as String.getBytes does).
        bytes += Character.isSurrogate(c) ? 1 : 3;
      }
    }
    return bytes > maxPayloadBytes;
  }
}
