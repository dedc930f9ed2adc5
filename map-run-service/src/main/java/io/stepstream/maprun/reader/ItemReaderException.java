package io.stepstream.maprun.reader;

import io.stepstream.maprun.store.ObjectStoreException;

/**
 * The items could not be read: Step Functions fails the Map Run with the error
 * {@value #ERROR} and this exception's message as the cause. The message uses AWS's wording where it
 * is known (e.g. {@code Attempting to map over non-iterable node.}, {@code CSV headers cannot contain
 * duplicates.}, or the S3 message of a missing bucket or key).
 */
public final class ItemReaderException extends Exception {

  /** The error name Step Functions reports. */
  public static final String ERROR = "States.ItemReaderFailed";

  private final boolean retryable;

  /** A failure that reading again will not fix (bad configuration or data). */
  public ItemReaderException(String cause) {
    this(cause, false, null);
  }

  /**
   * @param cause the cause text, as the execution history shows it
   * @param retryable whether reading the same cursor again may succeed (a store or network failure)
   * @param source the underlying exception, or null
   */
  public ItemReaderException(String cause, boolean retryable, Throwable source) {
    super(cause, source);
    this.retryable = retryable;
  }

  /** A failed store call, with S3's message as the cause. */
  static ItemReaderException of(ObjectStoreException e) {
    return new ItemReaderException(e.getMessage(), e.retryable(), e);
  }

  /** {@value #ERROR}. */
  public String error() {
    return ERROR;
  }

  /** The cause text (the same as {@link #getMessage()}). */
  public String cause() {
    return getMessage();
  }

  /** Whether reading the same cursor again may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
