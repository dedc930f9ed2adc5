package io.stepstream.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.stepstream.gateway.api.ApiException;

/**
 * Checks AWS Signature Version 4 ({@code AWS4-HMAC-SHA256} in the {@code Authorization} header)
 * as AWS does, and answers a refusal with AWS's error for the case.
 *
 * <p>It rebuilds the canonical request from what arrived (method, path, query, the headers the client
 * listed in {@code SignedHeaders}, and the SHA-256 of the body actually received), derives the
 * signing key from the secret of the access key in the credential scope, and compares signatures in
 * constant time. The body is always hashed here: a request whose {@code X-Amz-Content-Sha256} differs
 * from its body, or says {@code UNSIGNED-PAYLOAD}, is refused.
 *
 * <p>Why not the AWS SDK's signer: it can sign a rebuilt request, but it leaves {@code user-agent},
 * {@code connection}, {@code expect} and {@code x-amzn-trace-id} out of what it signs whatever the
 * request lists, so it computes a different signature for clients that sign those (the AWS SDK for
 * Java v1 signs {@code user-agent}). The canonical request is the client's, so it is built here,
 * by the specification; the hashing and HMACs are the JDK's. Tests check it against the SDK's signer.
 *
 * <p>Thread-safe; CPU only (one SHA-256 over the body, six HMACs), so it runs on the event loop.
 */
public final class SigV4Verifier {

  /** The only algorithm SigV4 over headers uses. */
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  /** How far a request's {@code X-Amz-Date} may be from the server's clock, as AWS's SigV4 allows. */
  public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);
  /** The service name in Step Functions' credential scope. */
  public static final String SERVICE = "states";

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  private final AccessKeys keys;
  private final String region;
  private final String service;
  private final Duration maxSkew;
  private final Clock clock;

  /**
   * Creates a verifier.
   *
   * @param keys the accepted access keys
   * @param region the region requests must be signed for (the region of the ARNs)
   * @param maxSkew how far {@code X-Amz-Date} may be from {@code clock}, either way
   * @param clock the server's clock
   */
  public SigV4Verifier(AccessKeys keys, String region, Duration maxSkew, Clock clock) {
    this(keys, region, SERVICE, maxSkew, clock);
  }

  /** A verifier for another service name: AWS's published SigV4 test vectors are signed for {@code service}. */
  SigV4Verifier(AccessKeys keys, String region, String service, Duration maxSkew, Clock clock) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
    this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks one request's signature.
   *
   * @param method the HTTP method as received
   * @param uri the request target as received (path and query, still percent-encoded)
   * @param headers the request headers
   * @param body the request body; read without moving its reader index
   * @return the access key id that signed the request
   * @throws ApiException the AWS error of the refusal: {@code MissingAuthenticationTokenException},
   *     {@code IncompleteSignatureException}, {@code UnrecognizedClientException} or
   *     {@code InvalidSignatureException}
   */
  public String verify(String method, String uri, HttpHeaders headers, ByteBuf body) {
    String authorization = headers.get("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw new ApiException("MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Authorization auth = Authorization.parse(authorization, headers.get("X-Amz-Date"));
    String secret = keys.secret(auth.accessKeyId()).orElseThrow(SigV4Verifier::unrecognizedClient);
    if (headers.contains("X-Amz-Security-Token")) {
      // Stepstream issues no temporary credentials, so no session token is valid, as AWS answers a bad one.
      throw unrecognizedClient();
    }
    Instant signedAt = parseDate(auth.amzDate());
    checkSkew(signedAt);
    checkScope(auth);
    String payloadHash = payloadHash(headers, body);
    String canonicalRequest = String.join("\n", method, canonicalUri(uri), canonicalQuery(uri),
        canonicalHeaders(auth.signedHeaders(), headers), String.join(";", auth.signedHeaders()), payloadHash);
    String stringToSign = String.join("\n", ALGORITHM, auth.amzDate(), auth.scope(),
        HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    byte[] expected = hmac(signingKey(secret, auth), stringToSign);
    byte[] given;
    try {
      given = HEX.parseHex(auth.signature());
    } catch (IllegalArgumentException e) {
      given = new byte[0];
    }
    if (!MessageDigest.isEqual(expected, given)) {
      throw invalidSignature("The request signature we calculated does not match the signature you provided. "
          + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return auth.accessKeyId();
  }

  private void checkSkew(Instant signedAt) {
    Instant now = clock.instant();
    long minutes = maxSkew.toMinutes();
    if (signedAt.isBefore(now.minus(maxSkew))) {
      throw invalidSignature("Signature expired: " + AMZ_DATE.format(signedAt) + " is now earlier than "
          + AMZ_DATE.format(now.minus(maxSkew)) + " (" + AMZ_DATE.format(now) + " - " + minutes + " min.)");
    }
    if (signedAt.isAfter(now.plus(maxSkew))) {
      throw invalidSignature("Signature not yet current: " + AMZ_DATE.format(signedAt) + " is still later than "
          + AMZ_DATE.format(now.plus(maxSkew)) + " (" + AMZ_DATE.format(now) + " + " + minutes + " min.)");
    }
  }

  private void checkScope(Authorization auth) {
    String day = auth.amzDate().substring(0, 8);
    if (!auth.scopeDate().equals(day)) {
      throw invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
          + "HTTP: '" + auth.scopeDate() + "' != '" + day + "', from '" + auth.amzDate() + "'.");
    }
    if (!auth.scopeRegion().equals(region)) {
      throw invalidSignature("Credential should be scoped to a valid region, not '" + auth.scopeRegion() + "'. ");
    }
    if (!auth.scopeService().equals(service)) {
      throw invalidSignature("Credential should be scoped to correct service: '" + service + "'. ");
    }
    if (!auth.scopeTerminator().equals("aws4_request")) {
      throw invalidSignature("Credential should be scoped with a valid terminator: 'aws4_request', not '"
          + auth.scopeTerminator() + "'. ");
    }
  }

  private static Instant parseDate(String amzDate) {
    try {
      return Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate + "'. "
          + "See http://en.wikipedia.org/wiki/ISO_8601");
    }
  }

  /** The SHA-256 of the body received; a differing {@code X-Amz-Content-Sha256} is refused. */
  private static String payloadHash(HttpHeaders headers, ByteBuf body) {
    byte[] bytes = new byte[body.readableBytes()];
    body.getBytes(body.readerIndex(), bytes);
    String computed = HEX.formatHex(sha256(bytes));
    String declared = headers.get("X-Amz-Content-Sha256");
    if (declared != null && !declared.equalsIgnoreCase(computed)) {
      throw invalidSignature(UNSIGNED_PAYLOAD.equals(declared)
          ? "This service requires a signed payload; 'UNSIGNED-PAYLOAD' is not accepted."
          : "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return computed;
  }

  /** The path, dot segments removed, URI-encoded once more (SigV4 encodes paths twice for every service but S3). */
  static String canonicalUri(String uri) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    if (path.isEmpty()) {
      return "/";
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        if (segments.size() > 1) {
          segments.removeLast();
        }
      } else if (!segment.equals(".")) {
        segments.add(segment);
      }
    }
    String normalized = String.join("/", segments);
    if (!normalized.startsWith("/")) {
      normalized = "/" + normalized;
    }
    return encode(normalized, false);
  }

  /** The query parameters, decoded, encoded the SigV4 way and sorted by name, then value. */
  static String canonicalQuery(String uri) {
    int query = uri.indexOf('?');
    if (query < 0 || query == uri.length() - 1) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : uri.substring(query + 1).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = QueryStringDecoder.decodeComponent(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : QueryStringDecoder.decodeComponent(pair.substring(eq + 1));
      pairs.add(encode(name, true) + "=" + encode(value, true));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  /** Each signed header as {@code name:value}, values trimmed with inner runs of spaces made one, repeats joined by commas. */
  private static String canonicalHeaders(List<String> signed, HttpHeaders headers) {
    StringBuilder out = new StringBuilder();
    for (String name : signed) {
      List<String> values = new ArrayList<>();
      for (String value : headers.getAll(name)) {
        values.add(value.strip().replaceAll("\\s+", " "));
      }
      out.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    return out.toString();
  }

  /** RFC 3986 percent-encoding of every byte but the unreserved characters (and {@code /} in paths). */
  private static String encode(String text, boolean encodeSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !encodeSlash)) {
        out.append(c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  private static byte[] signingKey(String secret, Authorization auth) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), auth.scopeDate());
    key = hmac(key, auth.scopeRegion());
    key = hmac(key, auth.scopeService());
    return hmac(key, auth.scopeTerminator());
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static ApiException unrecognizedClient() {
    return new ApiException("UnrecognizedClientException", "The security token included in the request is invalid.");
  }

  private static ApiException invalidSignature(String message) {
    return new ApiException("InvalidSignatureException", message);
  }

  static ApiException incomplete(String message) {
    return new ApiException("IncompleteSignatureException", message);
  }

  /**
   * The parts of an {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}
   * header, and the request's {@code X-Amz-Date}.
   */
  record Authorization(String accessKeyId, String scopeDate, String scopeRegion, String scopeService,
                       String scopeTerminator, List<String> signedHeaders, String signature, String amzDate) {

    /** The credential scope: {@code date/region/service/aws4_request}. */
    String scope() {
      return String.join("/", scopeDate, scopeRegion, scopeService, scopeTerminator);
    }

    /** Parses the header, refusing what AWS refuses with {@code IncompleteSignatureException}. */
    static Authorization parse(String header, String amzDate) {
      String trimmed = header.strip();
      int space = trimmed.indexOf(' ');
      String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
      Map<String, String> params = new LinkedHashMap<>();
      if (space >= 0) {
        for (String part : trimmed.substring(space + 1).split(",")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            params.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
          }
        }
      }
      StringBuilder missing = new StringBuilder();
      for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
        if (!params.containsKey(name)) {
          missing.append("Authorization header requires '").append(name).append("' parameter. ");
        }
      }
      if (amzDate == null) {
        missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
      }
      if (!missing.isEmpty()) {
        throw incomplete(missing + "Authorization=" + header);
      }
      if (!algorithm.equals(ALGORITHM)) {
        throw incomplete("Unsupported AWS 'algorithm': '" + algorithm + "'. Authorization=" + header);
      }
      String credential = params.get("Credential");
      String[] scope = credential.split("/", -1);
      if (scope.length != 5) {
        throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
            + "keyid/date/region/service/term, got '" + credential + "'");
      }
      List<String> signed = List.of(params.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";"));
      if (!signed.contains("host")) {
        throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
      }
      return new Authorization(scope[0], scope[1], scope[2], scope[3], scope[4], signed, params.get("Signature"),
          amzDate);
    }
  }
}
