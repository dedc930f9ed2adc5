package io.stepstream.maprun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} does, run against each implementation by a subclass: S3's listing
 * order and filters, ranged reads, whole and streamed writes, and S3's error codes and messages.
 */
abstract class ObjectStoreContract {

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  /** The store under test. */
  abstract ObjectStore store();

  /** Creates an empty bucket. */
  abstract void createBucket(String bucket) throws Exception;

  /** A part size at which the store switches to multipart uploads, or 0 if it has none. */
  int partSize() {
    return 0;
  }

  String bucket;

  @BeforeEach
  void newBucket() throws Exception {
    bucket = "bucket-" + BUCKETS.incrementAndGet();
    createBucket(bucket);
  }

  @Test
  void shouldListKeysInUtf8BinaryOrder() throws Exception {
    List<String> keys = List.of("z", "a/b", "a.txt", "a0", "A", "é", "a/a/c", "b");
    for (String key : keys) {
      put(key, key);
    }

    assertThat(keys(store().list(bucket, null, null, null, 100)))
        .containsExactly("A", "a.txt", "a/a/c", "a/b", "a0", "b", "z", "é");
  }

  @Test
  void shouldListPagesAfterStartAfterWithExactTruncation() throws Exception {
    for (String key : List.of("k1", "k2", "k3", "k4", "k5")) {
      put(key, key);
    }

    ListPage first = store().list(bucket, null, null, null, 2);
    ListPage second = store().list(bucket, null, null, "k2", 2);
    ListPage last = store().list(bucket, null, null, "k4", 2);
    ListPage exact = store().list(bucket, null, null, "k3", 2);

    assertThat(keys(first)).containsExactly("k1", "k2");
    assertThat(first.truncated()).isTrue();
    assertThat(keys(second)).containsExactly("k3", "k4");
    assertThat(keys(last)).containsExactly("k5");
    assertThat(last.truncated()).isFalse();
    assertThat(keys(exact)).containsExactly("k4", "k5");
    assertThat(exact.truncated()).isFalse();
  }

  @Test
  void shouldFilterByPrefixAndLeaveOutCommonPrefixes() throws Exception {
    for (String key : List.of("in/a.json", "in/b.json", "in/sub/c.json", "in/sub/deeper/d.json", "inx/e.json",
        "out/f.json")) {
      put(key, key);
    }

    assertThat(keys(store().list(bucket, "in/", null, null, 100)))
        .containsExactly("in/a.json", "in/b.json", "in/sub/c.json", "in/sub/deeper/d.json");
    assertThat(keys(store().list(bucket, "in", null, null, 100)))
        .containsExactly("in/a.json", "in/b.json", "in/sub/c.json", "in/sub/deeper/d.json", "inx/e.json");
    assertThat(keys(store().list(bucket, "in/", "/", null, 100))).containsExactly("in/a.json", "in/b.json");
    assertThat(keys(store().list(bucket, null, "/", null, 100))).isEmpty();
    assertThat(keys(store().list(bucket, "in/sub/", "/", "in/sub/", 100))).containsExactly("in/sub/c.json");
  }

  @Test
  void shouldFillPagesPastCommonPrefixes() throws Exception {
    for (int i = 0; i < 5; i++) {
      put("p/dir" + i + "/x", "x");
    }
    put("p/z1", "1");
    put("p/z2", "2");

    ListPage page = store().list(bucket, "p/", "/", null, 1);

    assertThat(keys(page)).containsExactly("p/z1");
    assertThat(page.truncated()).isTrue();
    assertThat(keys(store().list(bucket, "p/", "/", "p/z1", 1))).containsExactly("p/z2");
  }

  @Test
  void shouldDescribeObjectsAsS3Does() throws Exception {
    Instant before = Instant.now().minusSeconds(2);
    put("hello.txt", "hello");

    ObjectSummary object = store().list(bucket, null, null, null, 1).objects().get(0);

    assertThat(object.key()).isEqualTo("hello.txt");
    assertThat(object.etag()).isEqualTo("\"" + md5("hello") + "\"");
    assertThat(object.size()).isEqualTo(5);
    assertThat(object.storageClass()).isEqualTo("STANDARD");
    assertThat(object.lastModified()).isBetween(before, Instant.now().plus(Duration.ofSeconds(2)));
  }

  @Test
  void shouldReadFromAByteOffsetToTheEnd() throws Exception {
    put("data.txt", "0123456789");

    assertThat(read("data.txt", 0)).isEqualTo("0123456789");
    assertThat(read("data.txt", 7)).isEqualTo("789");
    assertThat(read("data.txt", 10)).isEmpty();
    assertThat(read("data.txt", 99)).isEmpty();
    assertThat(store().size(bucket, "data.txt")).isEqualTo(10);
  }

  @Test
  void shouldStopReadingMidwayAndServeTheNextRead() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024];
    new Random(3).nextBytes(content);
    store().put(bucket, "large.bin", content);

    for (long from : new long[] {0, 1_000_000, 2_000_000}) {
      try (InputStream in = store().open(bucket, "large.bin", from)) {
        assertThat(in.readNBytes(16)).isEqualTo(java.util.Arrays.copyOfRange(content, (int) from, (int) from + 16));
      }
    }
    assertThat(store().size(bucket, "large.bin")).isEqualTo(content.length);
  }

  @Test
  void shouldReadAndSizeEmptyObjects() throws Exception {
    put("empty", "");

    assertThat(read("empty", 0)).isEmpty();
    assertThat(store().size(bucket, "empty")).isZero();
  }

  @Test
  void shouldReplaceAnObjectWhole() throws Exception {
    put("key", "first version");
    put("key", "second");

    assertThat(read("key", 0)).isEqualTo("second");
    assertThat(keys(store().list(bucket, null, null, null, 10))).containsExactly("key");
  }

  @Test
  void shouldStreamAnUploadLargerThanAPart() throws Exception {
    byte[] content = new byte[Math.max(partSize(), 1 << 20) * 2 + 12345];
    new Random(7).nextBytes(content);

    try (ObjectUpload upload = store().upload(bucket, "big.bin")) {
      for (int at = 0; at < content.length; at += 100_000) {
        upload.write(content, at, Math.min(100_000, content.length - at));
      }
      assertThat(upload.size()).isEqualTo(content.length);
      upload.complete();
    }

    try (InputStream in = store().open(bucket, "big.bin", 0)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void shouldLeaveNoObjectWhenAnUploadIsAbandoned() throws Exception {
    byte[] part = new byte[Math.max(partSize(), 1024) + 1];
    try (ObjectUpload upload = store().upload(bucket, "abandoned")) {
      upload.write(part, 0, part.length);
    }

    assertThat(store().list(bucket, null, null, null, 10).objects()).isEmpty();
    assertThatThrownBy(() -> store().size(bucket, "abandoned"))
        .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.errorCode()).isEqualTo("NoSuchKey"));
  }

  @Test
  void shouldFailAMissingBucketAsS3Does() {
    for (ThrowingCall call : List.<ThrowingCall>of(
        () -> store().list("no-such-bucket", null, null, null, 10),
        () -> store().open("no-such-bucket", "key", 0),
        () -> store().size("no-such-bucket", "key"),
        () -> store().put("no-such-bucket", "key", new byte[1]))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
        assertThat(e.errorCode()).isEqualTo("NoSuchBucket");
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage())
            .startsWith("The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ");
      });
    }
  }

  @Test
  void shouldFailAMissingKeyAsS3Does() {
    for (ThrowingCall call : List.<ThrowingCall>of(
        () -> store().open(bucket, "missing/key.json", 0),
        () -> store().open(bucket, "missing/key.json", 5),
        () -> store().size(bucket, "missing/key.json"))) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(ObjectStoreException.class, e -> {
        assertThat(e.errorCode()).isEqualTo("NoSuchKey");
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.getMessage())
            .startsWith("The specified key does not exist. (Service: S3, Status Code: 404, Request ID: ");
      });
    }
  }

  void put(String key, String content) throws ObjectStoreException {
    store().put(bucket, key, content.getBytes(StandardCharsets.UTF_8));
  }

  String read(String key, long from) throws ObjectStoreException, IOException {
    try (InputStream in = store().open(bucket, key, from)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static List<String> keys(ListPage page) {
    List<String> keys = new ArrayList<>();
    page.objects().forEach(object -> keys.add(object.key()));
    return keys;
  }

  static String md5(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A store call expected to fail. */
  interface ThrowingCall {
    void run() throws Exception;
  }
}
