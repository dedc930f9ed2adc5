package io.stepstream.maprun.store;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An upload to S3 holding at most one part in memory: a single PutObject when everything fits in one
 * part, else a multipart upload started when the first part fills and aborted if never completed.
 */
final class S3Upload implements ObjectUpload {

  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final int partSize;
  private final List<CompletedPart> parts = new ArrayList<>();
  /** The part being filled; grows up to partSize, so a small object never holds a whole part. */
  private byte[] part;
  private int filled;
  private long size;
  private String uploadId;
  private boolean completed;

  S3Upload(S3Client s3, String bucket, String key, int partSize) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.partSize = partSize;
    this.part = new byte[Math.min(partSize, 64 * 1024)];
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws ObjectStoreException {
    if (completed) {
      throw new IllegalStateException("upload of " + key + " already completed");
    }
    while (length > 0) {
      if (filled == part.length) {
        if (part.length < partSize) {
          part = Arrays.copyOf(part, Math.min(partSize, part.length * 2)); // small objects stay small
        } else {
          sendPart();
        }
      }
      int n = Math.min(length, part.length - filled);
      System.arraycopy(bytes, offset, part, filled, n);
      filled += n;
      offset += n;
      length -= n;
      size += n;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void complete() throws ObjectStoreException {
    try {
      if (uploadId == null) {
        s3.putObject(r -> r.bucket(bucket).key(key), filledPart());
      } else {
        if (filled > 0) {
          sendPart();
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts)));
      }
      completed = true;
    } catch (SdkException e) {
      throw S3ObjectStore.translate(e);
    }
  }

  @Override
  public void close() {
    if (completed || uploadId == null) {
      return;
    }
    try {
      s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // S3 drops incomplete multipart uploads by lifecycle rule; a failed abort leaves no object.
    }
  }

  /** The filled bytes of the part buffer, streamed (not copied) to the SDK, which reads them before returning. */
  private RequestBody filledPart() {
    return RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, filled), filled);
  }

  private void sendPart() throws ObjectStoreException {
    try {
      if (uploadId == null) {
        uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
      }
      int number = parts.size() + 1;
      String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
          filledPart()).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      filled = 0;
    } catch (SdkException e) {
      throw S3ObjectStore.translate(e);
    }
  }
}
