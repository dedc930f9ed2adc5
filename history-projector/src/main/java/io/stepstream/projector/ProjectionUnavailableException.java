package io.stepstream.projector;

/**
 * This instance cannot answer a read now: the partition holding the execution is not active here,
 * is being restored, or no instance is known to hold it (the group is rebalancing). Never means
 * that the execution does not exist; callers answer with a retryable error.
 */
public final class ProjectionUnavailableException extends RuntimeException {

  /** @param message what is unavailable, for the caller's error message */
  public ProjectionUnavailableException(String message) {
    super(message, null, false, false);
  }
}
