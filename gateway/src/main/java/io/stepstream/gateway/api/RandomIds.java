package io.stepstream.gateway.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random version-4 UUIDs for what only needs to be unique (request ids, EXPRESS execution ids,
 * generated execution names), drawn from {@link ThreadLocalRandom}: {@link UUID#randomUUID()} reads
 * the shared SecureRandom under a lock, which cost the request path more than the interpreter did
 * (JFR, docs/benchmarks.md). Nothing here is a secret; task tokens are made elsewhere.
 */
public final class RandomIds {

  private RandomIds() {}

  /** A random UUID text, like {@code UUID.randomUUID().toString()}. */
  public static String uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
