package io.stepstream.maprun.store;

/**
 * An object being written piece by piece, for content too large to hold in memory (a result file may
 * reach 5 GB). Nothing is visible under the key until {@link #complete()} returns.
 *
 * <p>Not thread-safe: one writer at a time. Always {@link #close()} an upload; closing one that was not
 * completed abandons it and leaves any earlier object under the key unchanged.
 */
public interface ObjectUpload extends AutoCloseable {

  /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
  void write(byte[] bytes, int offset, int length) throws ObjectStoreException;

  /** Bytes written so far. */
  long size();

  /** Publishes the object under its key, replacing any earlier one. */
  void complete() throws ObjectStoreException;

  /** Abandons the upload unless it was completed; never throws. */
  @Override
  void close();
}
