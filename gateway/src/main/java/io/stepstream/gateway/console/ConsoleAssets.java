package io.stepstream.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, read from the classpath ({@code io/stepstream/gateway/console/}) once and kept
 * in memory with their content type, entity tag and cache policy.
 *
 * <p>Thread-safe; {@link #find} may be called on the event loops: a file is read from the jar the first
 * time it is asked for (a few kilobytes, or the 1.6 MB layout library once) and never again.
 */
public final class ConsoleAssets {

  /** The URL path the console is served under, with its trailing slash. */
  public static final String PREFIX = "/console/";

  private static final String ROOT = "io/stepstream/gateway/console/";
  /** Path segments: letters, digits, dot, dash, underscore; never {@code .} or {@code ..} alone. */
  private static final Pattern SAFE_PATH = Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "json", "application/json",
      "md", "text/markdown; charset=utf-8",
      "txt", "text/plain; charset=utf-8");
  /**
   * The console's own files change with every Stepstream version: the browser keeps them but asks
   * again each time (a 304 when unchanged), so an upgrade never runs an old script against a new API.
   */
  private static final String REVALIDATE = "no-cache";
  /** Vendored libraries live under a versioned directory, so a cached copy can never be stale. */
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final ClassLoader loader;
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** A file of the console. */
  public record Asset(byte[] body, String contentType, String etag, String cacheControl) {}

  /** Creates the assets read through this class's loader. */
  public ConsoleAssets() {
    this(ConsoleAssets.class.getClassLoader());
  }

  ConsoleAssets(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Returns the file at a path below {@link #PREFIX} ({@code ""} is {@code index.html}), or empty when
   * there is none or the path is not a plain relative one (no {@code ..}, no query).
   *
   * @param relative the path after {@code /console/}, without a query string
   */
  public Optional<Asset> find(String relative) {
    String path = relative.isEmpty() ? "index.html" : relative;
    if (!SAFE_PATH.matcher(path).matches()) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(path, this::load);
  }

  private Optional<Asset> load(String path) {
    int dot = path.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      return Optional.empty();
    }
    try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      String cacheControl = path.startsWith("vendor/") ? IMMUTABLE : REVALIDATE;
      return Optional.of(new Asset(body, type, etag(body), cacheControl));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the console file " + path, e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return '"' + HexFormat.of().formatHex(digest, 0, 16) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /** Returns whether an {@code If-None-Match} header value names this asset's entity tag. */
  public static boolean matches(String ifNoneMatch, Asset asset) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.equals("*") || t.equals(asset.etag()) || t.equals("W/" + asset.etag())) {
        return true;
      }
    }
    return false;
  }
}
