package io.stepstream.gateway.throttle;

/**
 * One token bucket, as AWS states its API quotas: a request takes a token; the bucket holds at most
 * {@code burst} tokens and gains {@code perSecond} tokens a second.
 *
 * @param burst the bucket size (requests accepted at once after a quiet time), at least 1
 * @param perSecond the refill rate (requests a second, sustained), at least 1
 */
public record Quota(long burst, long perSecond) {

  /** Checks the bounds. */
  public Quota {
    if (burst < 1 || perSecond < 1) {
      throw new IllegalArgumentException("A quota needs a burst and a rate of at least 1, not " + burst + " and "
          + perSecond);
    }
  }

  @Override
  public String toString() {
    return perSecond + "/s (burst " + burst + ")";
  }
}
