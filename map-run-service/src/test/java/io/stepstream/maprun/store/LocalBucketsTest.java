package io.stepstream.maprun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBucketsTest extends ObjectStoreContract {

  @TempDir
  Path root;

  @Override
  ObjectStore store() {
    return new LocalBuckets(root);
  }

  @Override
  void createBucket(String bucket) throws Exception {
    Files.createDirectories(root.resolve(bucket));
  }

  @Test
  void shouldKeepEachObjectAsAFileUnderItsBucket() throws Exception {
    put("dir/sub/file.txt", "content");

    assertThat(root.resolve(bucket).resolve("dir/sub/file.txt")).hasContent("content");
  }

  @Test
  void shouldSortCharactersBeyondTheBasicPlaneAsUtf8Does() throws Exception {
    // UTF-16 order would put U+1F600 (a surrogate pair) before U+FF5E; UTF-8 (and S3) puts it after.
    put("\uD83D\uDE00", "emoji");
    put("\uFF5E", "tilde");

    assertThat(keys(store().list(bucket, null, null, null, 10))).containsExactly("\uFF5E", "\uD83D\uDE00");
  }

  @Test
  void shouldFillAPageWhenDirectoriesBeforeItHoldNoKeys() throws Exception {
    for (String dir : List.of("a", "b", "c/d")) {
      Files.createDirectories(root.resolve(bucket).resolve(dir));
    }
    for (String key : List.of("e", "f", "g")) {
      put(key, key);
    }

    ListPage page = store().list(bucket, null, null, null, 2);

    assertThat(keys(page)).containsExactly("e", "f");
    assertThat(page.truncated()).isTrue();
  }

  @Test
  void shouldRefuseKeysThatEscapeTheBucket() {
    for (String key : List.of("../other/key", "a/../../x", "./a", "a//b", "dir/")) {
      assertThatThrownBy(() -> put(key, "x")).isInstanceOfSatisfying(ObjectStoreException.class,
          e -> assertThat(e.errorCode()).isEqualTo("InvalidArgument"));
    }
    assertThatThrownBy(() -> store().open(bucket, "../" + bucket + "/x", 0))
        .isInstanceOf(ObjectStoreException.class);
    assertThat(root.getParent().resolve("other")).doesNotExist();
  }

  @Test
  void shouldLeaveNoTemporaryFileInTheBucket() throws Exception {
    put("a", "1");
    put("a", "2");

    try (var files = Files.list(root.resolve(bucket))) {
      assertThat(files).containsExactly(root.resolve(bucket).resolve("a"));
    }
  }

  @Test
  void shouldGiveTheSameMessageForTheSameFailure() {
    String first = messageOf(() -> store().open(bucket, "missing", 0));
    String second = messageOf(() -> store().open(bucket, "missing", 0));

    assertThat(first).isEqualTo(second)
        .matches("The specified key does not exist\\. \\(Service: S3, Status Code: 404, Request ID: [0-9A-F]{16}, "
            + "Extended Request ID: .+\\)");
  }

  private static String messageOf(ThrowingCall call) {
    try {
      call.run();
      throw new AssertionError("expected a failure");
    } catch (Exception e) {
      return e.getMessage();
    }
  }
}
