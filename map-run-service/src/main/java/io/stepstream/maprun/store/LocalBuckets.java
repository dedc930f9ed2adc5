package io.stepstream.maprun.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Buckets as directories, for development and tests: bucket {@code B} and key {@code K} are the file
 * {@code <root>/B/K}, a {@code /} in a key being a subdirectory. A bucket exists when its directory
 * does; nothing here creates buckets.
 *
 * <p>Listing walks the bucket's directory tree in S3's key order and skips subtrees that cannot hold
 * a selected key, so a page costs about the keys it returns plus the directories on the way. ETags
 * are S3's for a single-part upload (the quoted hex MD5 of the content, computed when listed), the
 * storage class is {@code STANDARD}, and LastModified is the file's modification time to the second.
 *
 * <p>Writes go to a temporary file under {@code <root>/.uploads} (not a valid bucket name) and are
 * moved into place atomically. Keys that cannot be files are refused with {@code InvalidArgument}: an
 * empty segment ({@code a//b}, a trailing {@code /}), {@code .} or {@code ..} (which could escape the
 * bucket), and a key below another object ({@code a} and {@code a/b} cannot both exist). Error
 * messages have S3's form, with a request id derived from the request so that failures repeat exactly.
 *
 * <p>Thread-safe; concurrent writers of one key each replace the object whole.
 */
public final class LocalBuckets implements ObjectStore {

  private static final String UPLOADS = ".uploads";

  private final Path root;

  /** @param root the directory holding one directory per bucket */
  public LocalBuckets(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public ListPage list(String bucket, String prefix, String delimiter, String startAfter, int maxKeys)
      throws ObjectStoreException {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
    }
    Path dir = bucketDir("ListObjectsV2", bucket, prefix);
    List<Path> files = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try {
      walk(dir, "", new KeyQuery(prefix, delimiter, startAfter), maxKeys + 1, files, keys);
      List<ObjectSummary> objects = new ArrayList<>();
      for (int i = 0; i < Math.min(maxKeys, keys.size()); i++) {
        objects.add(summary(keys.get(i), files.get(i)));
      }
      return new ListPage(objects, keys.size() > maxKeys);
    } catch (IOException e) {
      throw internalError("ListObjectsV2", bucket, prefix, e);
    }
  }

  @Override
  public InputStream open(String bucket, String key, long fromByte) throws ObjectStoreException {
    if (fromByte < 0) {
      throw new IllegalArgumentException("fromByte must not be negative: " + fromByte);
    }
    Path file = existingObject("GetObject", bucket, key);
    try {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(fromByte);
      return Channels.newInputStream(channel);
    } catch (NoSuchFileException e) {
      throw error("GetObject", ObjectStoreException.NO_SUCH_KEY, 404, bucket, key, e);
    } catch (IOException e) {
      throw internalError("GetObject", bucket, key, e);
    }
  }

  @Override
  public long size(String bucket, String key) throws ObjectStoreException {
    Path file = existingObject("HeadObject", bucket, key);
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      throw error("HeadObject", ObjectStoreException.NO_SUCH_KEY, 404, bucket, key, e);
    } catch (IOException e) {
      throw internalError("HeadObject", bucket, key, e);
    }
  }

  @Override
  public ObjectUpload upload(String bucket, String key) throws ObjectStoreException {
    Path dir = bucketDir("PutObject", bucket, key);
    Path target = objectPath("PutObject", dir, bucket, key);
    try {
      Path uploads = Files.createDirectories(root.resolve(UPLOADS));
      Path temp = Files.createTempFile(uploads, "upload-", ".part");
      return new LocalUpload(temp, target, bucket, key);
    } catch (IOException e) {
      throw internalError("PutObject", bucket, key, e);
    }
  }

  /**
   * Adds the selected files under {@code dir} (keys starting with {@code keyPrefix}) in key order until
   * there are {@code limit}. A directory "d" holds keys "d/...", which sort exactly where "d/" sorts among
   * its siblings, so visiting children in that order visits keys in order. Only the first children still
   * needed are kept while a directory is scanned, so a huge flat directory costs a scan, not its size in
   * memory; if subdirectories among them hold fewer keys than expected, the scan resumes after them.
   */
  private static void walk(Path dir, String keyPrefix, KeyQuery query, int limit, List<Path> files,
      List<String> keys) throws IOException {
    String after = null;
    while (keys.size() < limit) {
      int room = limit - keys.size();
      TreeMap<String, Path> children = new TreeMap<>(KeyOrder.UTF8);
      boolean more = false;
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          // Cheap tests on the name first: a flat directory of many files is scanned once per page,
          // and a stat of every entry (is it a directory?) would cost more than the scan. The key is
          // the name, or the name and "/" for a directory: both lie in [name, name + "/"].
          String name = keyPrefix + entry.getFileName();
          if (after != null && KeyOrder.compare(name + "/", after) <= 0) {
            continue;
          }
          if (children.size() >= room && KeyOrder.compare(name, children.lastKey()) > 0) {
            more = true; // may be a key after the ones kept: looked at again if they run short
            continue;
          }
          String key = name + (Files.isDirectory(entry) ? "/" : "");
          boolean candidate = key.endsWith("/") ? query.mayHoldKeysUnder(key) : query.selects(key);
          if (!candidate || (after != null && KeyOrder.compare(key, after) <= 0)) {
            continue;
          }
          children.put(key, entry);
          if (children.size() > room) {
            children.pollLastEntry();
            more = true;
          }
        }
      }
      for (Map.Entry<String, Path> child : children.entrySet()) {
        if (child.getKey().endsWith("/")) {
          walk(child.getValue(), child.getKey(), query, limit, files, keys);
        } else {
          keys.add(child.getKey());
          files.add(child.getValue());
        }
        after = child.getKey();
        if (keys.size() >= limit) {
          return;
        }
      }
      if (!more) {
        return;
      }
    }
  }

  private static ObjectSummary summary(String key, Path file) throws IOException {
    MessageDigest md5 = md5();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    String etag = '"' + HexFormat.of().formatHex(md5.digest()) + '"';
    return new ObjectSummary(key, etag, Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS),
        Files.size(file), "STANDARD");
  }

  private Path bucketDir(String operation, String bucket, String key) throws ObjectStoreException {
    if (bucket == null || bucket.isEmpty() || bucket.startsWith(".") || bucket.contains("/")
        || bucket.contains("\\") || bucket.contains("\0")) {
      throw error(operation, ObjectStoreException.INVALID_BUCKET_NAME, 400, bucket, key, null);
    }
    Path dir = root.resolve(bucket);
    if (!Files.isDirectory(dir)) {
      throw error(operation, ObjectStoreException.NO_SUCH_BUCKET, 404, bucket, key, null);
    }
    return dir;
  }

  private Path existingObject(String operation, String bucket, String key) throws ObjectStoreException {
    Path file = objectPath(operation, bucketDir(operation, bucket, key), bucket, key);
    if (!Files.isRegularFile(file)) {
      throw error(operation, ObjectStoreException.NO_SUCH_KEY, 404, bucket, key, null);
    }
    return file;
  }

  private static Path objectPath(String operation, Path bucketDir, String bucket, String key)
      throws ObjectStoreException {
    if (key == null || key.isEmpty() || key.contains("\0")) {
      throw invalidKey(operation, bucket, key);
    }
    Path path = bucketDir;
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw invalidKey(operation, bucket, key);
      }
      path = path.resolve(segment);
    }
    if (!path.normalize().startsWith(bucketDir)) {
      throw invalidKey(operation, bucket, key);
    }
    return path;
  }

  private static ObjectStoreException invalidKey(String operation, String bucket, String key) {
    return ObjectStoreException.s3Error(ObjectStoreException.INVALID_ARGUMENT, 400,
        "Local buckets cannot hold the key '" + key + "'", requestId(operation, bucket, key),
        extendedRequestId(operation, bucket, key), null);
  }

  private static ObjectStoreException error(String operation, String code, int status, String bucket, String key,
      Throwable cause) {
    return ObjectStoreException.s3Error(code, status, null, requestId(operation, bucket, key),
        extendedRequestId(operation, bucket, key), cause);
  }

  private static ObjectStoreException internalError(String operation, String bucket, String key, IOException e) {
    return ObjectStoreException.s3Error("InternalError", 500, "We encountered an internal error ("
        + e + "). Please try again.", requestId(operation, bucket, key), extendedRequestId(operation, bucket, key), e);
  }

  /** S3's request ids are 16 upper-case hex digits; these are derived from the request, not random. */
  private static String requestId(String operation, String bucket, String key) {
    return HexFormat.of().formatHex(digest(operation, bucket, key), 0, 8).toUpperCase(Locale.ROOT);
  }

  private static String extendedRequestId(String operation, String bucket, String key) {
    return Base64.getEncoder().encodeToString(digest(operation, bucket, key));
  }

  private static byte[] digest(String operation, String bucket, String key) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest((operation + '\n' + bucket + '\n' + key).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  /** A temporary file that becomes the object by an atomic move. */
  private final class LocalUpload implements ObjectUpload {

    private final Path temp;
    private final Path target;
    private final String bucket;
    private final String key;
    private final FileChannel channel;
    private long size;
    private boolean completed;

    LocalUpload(Path temp, Path target, String bucket, String key) throws IOException {
      this.temp = temp;
      this.target = target;
      this.bucket = bucket;
      this.key = key;
      this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws ObjectStoreException {
      try {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        size += length;
      } catch (IOException e) {
        throw internalError("PutObject", bucket, key, e);
      }
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void complete() throws ObjectStoreException {
      bucketDir("PutObject", bucket, key);
      try {
        channel.force(false);
        channel.close();
        Files.createDirectories(target.getParent());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        completed = true;
      } catch (FileAlreadyExistsException | NotDirectoryException | DirectoryNotEmptyException e) {
        throw ObjectStoreException.s3Error(ObjectStoreException.INVALID_ARGUMENT, 400, "Local buckets cannot hold the key '"
            + key + "' next to another object on its path", requestId("PutObject", bucket, key),
            extendedRequestId("PutObject", bucket, key), e);
      } catch (IOException e) {
        throw internalError("PutObject", bucket, key, e);
      }
    }

    @Override
    public void close() {
      if (completed) {
        return;
      }
      try {
        channel.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // A leftover part file under .uploads is invisible to every bucket; nothing to undo.
      }
    }
  }
}
