package io.stepstream.maprun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The contract against a real S3 server: Adobe's S3Mock, started in this JVM on free ports and
 * reached over HTTP by the AWS SDK, as S3ObjectStore reaches S3.
 *
 * <p>One deviation of S3Mock from S3 is left out of the shared tests: S3Mock sorts keys by UTF-16
 * units, S3 by UTF-8 bytes, which differ only for characters beyond U+FFFF (see LocalBucketsTest).
 */
class S3ObjectStoreTest extends ObjectStoreContract {

  private static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private static S3MockApplication s3Mock;
  private static S3ObjectStore store;

  @BeforeAll
  @SuppressWarnings("removal") // S3Mock 4.x's port getters; 5.x changes how ports are reported
  static void startS3() throws Exception {
    Path data = Files.createTempDirectory("s3mock");
    Map<String, Object> properties = new HashMap<>();
    properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
    properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
    properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, data.toString());
    properties.put(S3MockApplication.PROP_SILENT, true);
    s3Mock = S3MockApplication.start(properties);
    // S3's smallest part size keeps the multipart test's upload small.
    store = new S3ObjectStore(S3ObjectStore.create(URI.create("http://localhost:" + s3Mock.getHttpPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).client(), MIN_PART_SIZE);
  }

  @AfterAll
  static void stopS3() {
    store.close();
    s3Mock.stop();
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  void createBucket(String bucket) {
    store.client().createBucket(request -> request.bucket(bucket));
  }

  @Override
  int partSize() {
    return MIN_PART_SIZE;
  }

  @Test
  void shouldReportAnUnreachableServerAsARetryableClientError() {
    try (S3ObjectStore nowhere = S3ObjectStore.create(URI.create("http://127.0.0.1:1"),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))) {
      assertThatThrownBy(() -> nowhere.size("bucket", "key")).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
        assertThat(e.errorCode()).isEqualTo(ObjectStoreException.CLIENT_ERROR);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).startsWith("Unable to execute HTTP request");
      });
    }
  }
}
