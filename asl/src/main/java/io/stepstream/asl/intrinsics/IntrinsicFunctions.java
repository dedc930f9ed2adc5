package io.stepstream.asl.intrinsics;

/** Entry point of the intrinsic functions: recognise and compile a call. */
public final class IntrinsicFunctions {

  private IntrinsicFunctions() {}

  /**
   * True when a {@code .$} value is meant as an intrinsic call rather than a path: it starts with
   * {@code States.} once surrounding whitespace is removed.
   */
  public static boolean looksLikeIntrinsic(String text) {
    return text != null && text.strip().startsWith("States.");
  }

  /**
   * Compiles a call once (at definition load); the result is immutable and thread-safe.
   *
   * @throws IllegalArgumentException with a message fit for a diagnostic: unknown function, bad
   *     syntax (including an invalid escape in a string literal) or an invalid path argument
   */
  public static IntrinsicCall parse(String text) {
    return IntrinsicParser.parse(text);
  }
}
