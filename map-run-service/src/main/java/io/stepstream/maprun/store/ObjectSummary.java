package io.stepstream.maprun.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One object of a listing, as S3's ListObjectsV2 describes it.
 *
 * @param key the object's key
 * @param etag the entity tag as S3 gives it, quotes included (for a single-part upload the quoted hex
 *     MD5 of the content, e.g. {@code "\"5d41402abc4b2a76b9719d911017c592\""})
 * @param lastModified when the object was last written, to the second as S3 lists it
 * @param size the object's size in bytes
 * @param storageClass the storage class, e.g. {@code STANDARD}
 */
public record ObjectSummary(String key, String etag, Instant lastModified, long size, String storageClass) {

  public ObjectSummary {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(lastModified, "lastModified");
    Objects.requireNonNull(storageClass, "storageClass");
  }
}
