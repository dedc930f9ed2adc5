package io.stepstream.loadtest.api;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints the first few failures of a run, so an error count comes with its reason. */
final class Errors {

  private static final int PRINTED = 5;
  private static final AtomicInteger SEEN = new AtomicInteger();

  private Errors() {}

  static void note(int status, String body) {
    if (SEEN.incrementAndGet() <= PRINTED) {
      String text = body.length() > 300 ? body.substring(0, 300) + "..." : body;
      System.err.println(String.format(Locale.ROOT, "error: HTTP %d %s", status, text));
    }
  }
}
