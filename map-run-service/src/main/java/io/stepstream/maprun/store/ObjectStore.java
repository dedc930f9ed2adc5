package io.stepstream.maprun.store;

import java.io.InputStream;

/**
 * Buckets of objects addressed by key, with the semantics of the S3 operations a Distributed Map
 * uses: ListObjectsV2, ranged GetObject and PutObject. Failures carry S3's error code, HTTP status and
 * message (see {@link ObjectStoreException}).
 *
 * <p>Implementations are thread-safe. Calls block on I/O, so they belong on I/O threads, never on a
 * stream thread.
 */
public interface ObjectStore {

  /**
   * Lists objects like ListObjectsV2: keys starting with {@code prefix}, strictly after
   * {@code startAfter}, in ascending UTF-8 binary order.
   *
   * <p>With a {@code delimiter}, keys that contain it after the prefix are rolled up into common
   * prefixes by S3; common prefixes are not objects and are left out, so a page holds objects only.
   * The page holds the first {@code maxKeys} matching objects, fewer only when no more exist, and
   * {@link ListPage#truncated()} says exactly whether more follow.
   *
   * @param prefix the key prefix; null or empty for every key
   * @param delimiter the roll-up delimiter; null or empty for none
   * @param startAfter list keys after this one; null or empty to start at the beginning
   * @param maxKeys how many objects at most, at least 1
   * @throws ObjectStoreException e.g. {@code NoSuchBucket}
   */
  ListPage list(String bucket, String prefix, String delimiter, String startAfter, int maxKeys)
      throws ObjectStoreException;

  /**
   * Opens an object for reading from byte {@code fromByte} to its end (a ranged GetObject). At or past
   * the end the stream is empty. The caller closes the stream; reading it may throw
   * {@link java.io.IOException} if the connection breaks.
   *
   * @throws ObjectStoreException e.g. {@code NoSuchBucket}, {@code NoSuchKey}
   */
  InputStream open(String bucket, String key, long fromByte) throws ObjectStoreException;

  /**
   * The size of an object in bytes.
   *
   * @throws ObjectStoreException e.g. {@code NoSuchBucket}, {@code NoSuchKey}
   */
  long size(String bucket, String key) throws ObjectStoreException;

  /**
   * Starts writing an object whose content is streamed in (see {@link ObjectUpload}).
   *
   * @throws ObjectStoreException e.g. {@code NoSuchBucket}, possibly only when writing or completing
   */
  ObjectUpload upload(String bucket, String key) throws ObjectStoreException;

  /**
   * Writes a whole object at once, replacing any earlier one; readers see either the old content or
   * the new, never a part.
   *
   * @throws ObjectStoreException e.g. {@code NoSuchBucket}
   */
  default void put(String bucket, String key, byte[] content) throws ObjectStoreException {
    try (ObjectUpload upload = upload(bucket, key)) {
      upload.write(content, 0, content.length);
      upload.complete();
    }
  }
}
