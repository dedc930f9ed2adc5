package io.stepstream.gateway.api;

import java.util.concurrent.CompletionException;

/**
 * Factories for the API errors AWS Step Functions returns, with AWS's names and message shapes.
 */
public final class ApiErrors {

  private ApiErrors() {
  }

  /** What a future failed with: the cause a {@link CompletionException} wraps, else the failure. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Unknown or missing {@code X-Amz-Target} action. */
  public static ApiException unknownOperation(String target) {
    return new ApiException("UnknownOperationException", "Unknown operation: " + target);
  }

  /** The body is not a JSON object. */
  public static ApiException serialization(String detail) {
    return new ApiException("SerializationException", detail);
  }

  /**
   * A request field breaks a constraint of the API model, in AWS's (Coral) wording:
   * {@code 1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null}.
   *
   * @param value the offending value as AWS prints it ({@code null} or {@code 'text'})
   * @param field the request member name
   * @param constraint the constraint text, such as {@code Member must not be null}
   */
  public static ApiException validation(String value, String field, String constraint) {
    return new ApiException("ValidationException",
        "1 validation error detected: Value " + value + " at '" + field + "' failed to satisfy constraint: " + constraint);
  }

  /** A required member is missing. */
  public static ApiException missing(String field) {
    return validation("null", field, "Member must not be null");
  }

  /** A malformed or wrong-kind ARN. */
  public static ApiException invalidArn(String detail) {
    return new ApiException("InvalidArn", "Invalid Arn: '" + detail + "'");
  }

  /** A name that breaks Step Functions' naming rules. */
  public static ApiException invalidName(String name) {
    return new ApiException("InvalidName", "Invalid Name: '" + name + "'");
  }

  /** No (live) state machine with this ARN. */
  public static ApiException stateMachineDoesNotExist(String arn) {
    return new ApiException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
  }

  /** A different state machine with this name exists. */
  public static ApiException stateMachineAlreadyExists(String arn) {
    return new ApiException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
  }

  /** A tagged resource that does not exist. */
  public static ApiException resourceNotFound(String arn) {
    return new ApiException("ResourceNotFound", "Resource not found: '" + arn + "'");
  }

  /**
   * A write that conflicts with the resource's current state (a stale revision id, a version an
   * alias still routes to, an alias of the same name but other settings): HTTP 409.
   */
  public static ApiException conflict(String message) {
    return new ApiException("ConflictException", message, 409);
  }

  /** A version or alias that does not exist, in AWS's words. */
  public static ApiException referencedResourceNotFound() {
    return new ApiException("ResourceNotFound", "Request references a resource that does not exist.");
  }

  /** A pagination token this server did not issue. */
  public static ApiException invalidToken(String token) {
    return new ApiException("InvalidToken", "Invalid Token: '" + token + "'");
  }

  /**
   * The instance that must answer cannot do so now (it is down, or partitions are moving): HTTP 503,
   * which the AWS SDKs and CLI retry. Never used for "does not exist".
   */
  public static ApiException unavailable(String detail) {
    return new ApiException("ServiceUnavailable", detail, 503);
  }
}
