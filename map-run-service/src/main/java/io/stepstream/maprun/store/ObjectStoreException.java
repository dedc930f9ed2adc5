package io.stepstream.maprun.store;

import java.util.Objects;

/**
 * A failed object-store call, described the way S3 and the AWS SDK describe it: S3's error code
 * ({@code NoSuchBucket}, {@code NoSuchKey}, {@code AccessDenied}, ...), the HTTP status, and a message
 * in the SDK's form, e.g. {@code The specified key does not exist. (Service: S3, Status Code: 404,
 * Request ID: ..., Extended Request ID: ...)}. Step Functions reports such a message as the cause of
 * {@code States.ItemReaderFailed} and {@code States.ResultWriterFailed}, so it is passed on unchanged.
 */
public final class ObjectStoreException extends Exception {

  public static final String NO_SUCH_BUCKET = "NoSuchBucket";
  public static final String NO_SUCH_KEY = "NoSuchKey";
  public static final String ACCESS_DENIED = "AccessDenied";
  public static final String INVALID_ARGUMENT = "InvalidArgument";
  public static final String INVALID_BUCKET_NAME = "InvalidBucketName";
  /** Not an S3 code: the request got no answer (connection refused, timeout, broken stream). */
  public static final String CLIENT_ERROR = "ClientError";

  private final String errorCode;
  private final int statusCode;

  /**
   * @param errorCode S3's error code, or {@link #CLIENT_ERROR}
   * @param statusCode the HTTP status, 0 when there was no response
   * @param message the full message, as {@link #s3Error} formats it
   */
  public ObjectStoreException(String errorCode, int statusCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    this.statusCode = statusCode;
  }

  /**
   * An error response of S3. For the common codes the message is S3's own wording, whatever server
   * answered, so that causes read the same over every store.
   *
   * @param serverMessage the message the server sent, used for codes without a known wording
   * @param requestId the request id, or null
   * @param extendedRequestId the extended request id, or null
   */
  public static ObjectStoreException s3Error(String errorCode, int statusCode, String serverMessage,
      String requestId, String extendedRequestId, Throwable cause) {
    StringBuilder message = new StringBuilder(wording(errorCode, serverMessage))
        .append(" (Service: S3, Status Code: ").append(statusCode)
        .append(", Request ID: ").append(requestId);
    if (extendedRequestId != null) {
      message.append(", Extended Request ID: ").append(extendedRequestId);
    }
    return new ObjectStoreException(errorCode, statusCode, message.append(')').toString(), cause);
  }

  /** The request got no response; the message is the HTTP client's, e.g. "Unable to execute HTTP request: ...". */
  public static ObjectStoreException clientError(String message, Throwable cause) {
    return new ObjectStoreException(CLIENT_ERROR, 0, message, cause);
  }

  /** S3's error code, e.g. {@code NoSuchKey}; {@link #CLIENT_ERROR} when no response came. */
  public String errorCode() {
    return errorCode;
  }

  /** The HTTP status, e.g. 404; 0 when no response came. */
  public int statusCode() {
    return statusCode;
  }

  /** Whether the same call may succeed later: no response, throttling or a server-side failure. */
  public boolean retryable() {
    return statusCode == 0 || statusCode >= 500 || "SlowDown".equals(errorCode)
        || "RequestTimeout".equals(errorCode);
  }

  private static String wording(String errorCode, String serverMessage) {
    return switch (errorCode) {
      case NO_SUCH_BUCKET -> "The specified bucket does not exist";
      case NO_SUCH_KEY -> "The specified key does not exist.";
      case ACCESS_DENIED -> "Access Denied";
      case INVALID_BUCKET_NAME -> "The specified bucket is not valid.";
      default -> serverMessage == null || serverMessage.isEmpty() ? errorCode : serverMessage;
    };
  }
}
