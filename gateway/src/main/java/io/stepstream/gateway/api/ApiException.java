package io.stepstream.gateway.api;

import java.util.Objects;

/**
 * An expected failure of an API call, answered as AWS does: HTTP status (400 unless said
 * otherwise) and the body {@code {"__type": type, "message": message}}.
 *
 * <p>Thrown by actions (or used to complete their futures exceptionally); the HTTP layer turns it
 * into the response. Carries no stack trace: it is a value, not a bug report.
 */
public final class ApiException extends RuntimeException {

  private final String type;
  private final int status;

  /**
   * Creates an error answered with HTTP 400.
   *
   * @param type AWS's error name, such as {@code StateMachineDoesNotExist}
   * @param message the message shown to the client
   */
  public ApiException(String type, String message) {
    this(type, message, 400);
  }

  /**
   * Creates an error with an explicit HTTP status.
   *
   * @param type AWS's error name
   * @param message the message shown to the client
   * @param status the HTTP status code
   */
  public ApiException(String type, String message, int status) {
    super(message, null, false, false);
    this.type = Objects.requireNonNull(type, "type");
    this.status = status;
  }

  /** Returns AWS's error name, the {@code __type} of the response. */
  public String type() {
    return type;
  }

  /** Returns the HTTP status code. */
  public int status() {
    return status;
  }
}
