package io.stepstream.maprun.reader;

/** Step Functions' limits on what a reader takes in. */
final class Limits {

  /** "Step Functions supports reading an item of up to 8 MB" (ItemReader docs); larger ones fail. */
  static final int MAX_ITEM_BYTES = 8 * 1024 * 1024;

  private Limits() {}

  static ItemReaderException itemTooLarge(String source, String where) {
    return new ItemReaderException("The item at " + where + " of " + source
        + " is larger than the maximum item size of 8 MB");
  }
}
