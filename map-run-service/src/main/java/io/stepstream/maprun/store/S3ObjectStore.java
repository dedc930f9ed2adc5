package io.stepstream.maprun.store;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} over Amazon S3 or any S3-compatible service, through the AWS SDK's
 * {@link S3Client}. SDK exceptions become {@link ObjectStoreException}s with S3's error code, status
 * and message; reading a returned stream reports a broken connection as {@link IOException}.
 *
 * <p>Listing follows S3's continuation tokens until the page is full, so common prefixes (with a
 * delimiter) never shorten a page. Uploads are one PutObject when they fit in one part and a
 * multipart upload otherwise, holding one part in memory at a time.
 *
 * <p>Thread-safe. Close it to release the client's connections.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

  /** The part size of multipart uploads: S3's minimum is 5 MiB, and 10,000 parts of 8 MiB cover 5 GB. */
  static final int PART_SIZE = 8 * 1024 * 1024;
  /** S3 returns at most 1,000 keys per ListObjectsV2 call. */
  private static final int LIST_MAX = 1000;

  private final S3Client s3;
  private final int partSize;

  /** Wraps a client; {@link #close()} closes it. */
  public S3ObjectStore(S3Client s3) {
    this(s3, PART_SIZE);
  }

  /** With another multipart part size (at least S3's minimum of 5 MiB), for tests. */
  S3ObjectStore(S3Client s3, int partSize) {
    this.s3 = s3;
    this.partSize = partSize;
  }

  /**
   * A store over the S3 API at {@code endpoint} with the default credentials and region providers
   * (environment, system properties, profile, container or instance role), falling back to
   * {@code us-east-1} when no region is configured, and path-style addressing, which S3-compatible
   * servers expect.
   *
   * @param endpoint the service's URL, e.g. {@code http://localhost:9090}; null for AWS's own endpoint
   */
  public static S3ObjectStore create(URI endpoint) {
    return create(endpoint, DefaultCredentialsProvider.create());
  }

  /** Like {@link #create(URI)}, with the given credentials. */
  public static S3ObjectStore create(URI endpoint, AwsCredentialsProvider credentials) {
    S3ClientBuilder builder = S3Client.builder()
        .region(configuredRegion())
        .credentialsProvider(credentials)
        .forcePathStyle(true)
        .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return new S3ObjectStore(builder.build());
  }

  private static Region configuredRegion() {
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      return Region.US_EAST_1;
    }
  }

  @Override
  public ListPage list(String bucket, String prefix, String delimiter, String startAfter, int maxKeys)
      throws ObjectStoreException {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
    }
    // One object beyond the page tells exactly whether more follow: S3's IsTruncated may be true when
    // only common prefixes remain.
    List<ObjectSummary> objects = new ArrayList<>();
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket)
            .maxKeys(Math.min(LIST_MAX, maxKeys + 1 - objects.size()));
        if (prefix != null && !prefix.isEmpty()) {
          request.prefix(prefix);
        }
        if (delimiter != null && !delimiter.isEmpty()) {
          request.delimiter(delimiter);
        }
        if (token != null) {
          request.continuationToken(token);
        } else if (startAfter != null && !startAfter.isEmpty()) {
          request.startAfter(startAfter);
        }
        ListObjectsV2Response response = s3.listObjectsV2(request.build());
        for (S3Object object : response.contents()) {
          objects.add(new ObjectSummary(object.key(), object.eTag(), object.lastModified(), object.size(),
              object.storageClassAsString() == null ? "STANDARD" : object.storageClassAsString()));
        }
        token = Boolean.TRUE.equals(response.isTruncated()) ? response.nextContinuationToken() : null;
      } while (token != null && objects.size() <= maxKeys);
    } catch (SdkException e) {
      throw translate(e);
    }
    boolean truncated = objects.size() > maxKeys;
    return new ListPage(truncated ? objects.subList(0, maxKeys) : objects, truncated);
  }

  @Override
  public InputStream open(String bucket, String key, long fromByte) throws ObjectStoreException {
    if (fromByte < 0) {
      throw new IllegalArgumentException("fromByte must not be negative: " + fromByte);
    }
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
    if (fromByte > 0) {
      request.range("bytes=" + fromByte + "-");
    }
    try {
      return new ObjectBody(s3.getObject(request.build()));
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return new ByteArrayInputStream(new byte[0]);
      }
      throw translate(e);
    } catch (SdkException e) {
      throw translate(e);
    }
  }

  @Override
  public long size(String bucket, String key) throws ObjectStoreException {
    // A one-byte GetObject rather than HeadObject: a HEAD response has no body, so S3 cannot say
    // whether the bucket or the key is missing.
    GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key).range("bytes=0-0").build();
    try (ResponseInputStream<GetObjectResponse> response = s3.getObject(request)) {
      String range = response.response().contentRange();
      return range == null ? response.response().contentLength()
          : Long.parseLong(range.substring(range.lastIndexOf('/') + 1).trim());
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return 0; // only an empty object has no byte 0
      }
      throw translate(e);
    } catch (SdkException e) {
      throw translate(e);
    } catch (IOException e) {
      throw ObjectStoreException.clientError(e.toString(), e);
    }
  }

  @Override
  public void put(String bucket, String key, byte[] content) throws ObjectStoreException {
    try {
      s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
    } catch (SdkException e) {
      throw translate(e);
    }
  }

  @Override
  public ObjectUpload upload(String bucket, String key) {
    return new S3Upload(s3, bucket, key, partSize);
  }

  @Override
  public void close() {
    s3.close();
  }

  /** The underlying client, for tests that set up buckets. */
  S3Client client() {
    return s3;
  }

  /** The SDK's exception as S3's error code, status and message. */
  static ObjectStoreException translate(SdkException e) {
    if (!(e instanceof S3Exception s3e)) {
      return ObjectStoreException.clientError(e.getMessage(), e);
    }
    AwsErrorDetails details = s3e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    if (code == null || code.isEmpty()) {
      code = e instanceof NoSuchKeyException ? ObjectStoreException.NO_SUCH_KEY
          : e instanceof NoSuchBucketException ? ObjectStoreException.NO_SUCH_BUCKET
          : String.valueOf(s3e.statusCode());
    }
    return ObjectStoreException.s3Error(code, s3e.statusCode(), details == null ? null : details.errorMessage(),
        s3e.requestId(), s3e.extendedRequestId(), e);
  }

  /**
   * An object's body as a plain stream: the SDK may report a broken connection unchecked, and readers
   * expect an {@link IOException}. Closed before its end (a page stops reading midway), the request is
   * aborted rather than the rest of the object drained.
   */
  private static final class ObjectBody extends FilterInputStream {

    private final ResponseInputStream<GetObjectResponse> response;
    private boolean ended;

    ObjectBody(ResponseInputStream<GetObjectResponse> response) {
      super(response);
      this.response = response;
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        ended |= b < 0;
        return b;
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        ended |= n < 0;
        return n;
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        if (!ended) {
          response.abort();
        }
        super.close();
      } catch (SdkException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}
