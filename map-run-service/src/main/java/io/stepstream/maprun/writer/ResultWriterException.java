package io.stepstream.maprun.writer;

import io.stepstream.maprun.store.ObjectStoreException;

/**
 * The results could not be exported: Step Functions fails the Map state with the error
 * {@value #ERROR} and this exception's message as the cause (for a store failure, S3's message, e.g.
 * {@code The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ...)}).
 */
public final class ResultWriterException extends Exception {

  /** The error name Step Functions reports. */
  public static final String ERROR = "States.ResultWriterFailed";

  private final boolean retryable;

  /** A failure that writing again will not fix (bad configuration). */
  public ResultWriterException(String cause) {
    this(cause, false, null);
  }

  /**
   * @param cause the cause text, as the execution history shows it
   * @param retryable whether writing again may succeed (a store or network failure)
   * @param source the underlying exception, or null
   */
  public ResultWriterException(String cause, boolean retryable, Throwable source) {
    super(cause, source);
    this.retryable = retryable;
  }

  static ResultWriterException of(ObjectStoreException e) {
    return new ResultWriterException(e.getMessage(), e.retryable(), e);
  }

  /** {@value #ERROR}. */
  public String error() {
    return ERROR;
  }

  /** The cause text (the same as {@link #getMessage()}). */
  public String cause() {
    return getMessage();
  }

  /** Whether writing again may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
