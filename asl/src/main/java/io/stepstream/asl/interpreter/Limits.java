package io.stepstream.asl.interpreter;

/**
 * Configurable limits of the interpreter.
 *
 * @param maxPayloadBytes the largest state input/output, in UTF-8 bytes (AWS: 256 KiB)
 */
public record Limits(int maxPayloadBytes) {

  public static final Limits DEFAULT = new Limits(256 * 1024);
}
