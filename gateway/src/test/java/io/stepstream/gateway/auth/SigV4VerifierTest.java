package io.stepstream.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.stepstream.gateway.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The verifier against AWS's published SigV4 test vectors and against requests signed by the AWS
 * SDK for Java v2's own signer, and each refusal with AWS's error.
 */
class SigV4VerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final String ID = "AKIASTEPSTREAMTEST01";
  private static final String SECRET = "s3cr3t/Key+Example0123456789abcdefABCDEF";
  private static final String BODY = "{\"maxResults\":10}";

  private final SigV4Verifier verifier =
      new SigV4Verifier(AccessKeys.of(Map.of(ID, SECRET)), "us-east-1", Duration.ofMinutes(15), clockAt(NOW));

  // The aws-sig-v4-test-suite (aws-c-auth): AKIDEXAMPLE, region us-east-1, service "service", 20150830T123600Z.
  private static final String SUITE_ID = "AKIDEXAMPLE";
  private static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private final SigV4Verifier suite = new SigV4Verifier(AccessKeys.of(Map.of(SUITE_ID, SUITE_SECRET)), "us-east-1",
      "service", Duration.ofMinutes(15), clockAt(Instant.parse("2015-08-30T12:36:00Z")));

  @Test
  void shouldAcceptTheTestSuitesGetVanillaPostVanillaAndQueryOrderVectors() {
    assertThat(suite.verify("GET", "/", suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Unpooled.EMPTY_BUFFER)).isEqualTo(SUITE_ID);
    assertThat(suite.verify("POST", "/", suiteHeaders("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Unpooled.EMPTY_BUFFER)).isEqualTo(SUITE_ID);
    assertThat(suite.verify("GET", "/?Param2=value2&Param1=value1",
        suiteHeaders("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"), Unpooled.EMPTY_BUFFER))
        .isEqualTo(SUITE_ID);
  }

  @Test
  void shouldRefuseATestSuiteVectorWhoseMethodChanged() {
    // get-vanilla's signature on a POST: the method is part of what is signed.
    assertThatThrownBy(() -> suite.verify("POST", "/",
        suiteHeaders("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"), Unpooled.EMPTY_BUFFER))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                + "Access Key and signing method. Consult the service documentation for details."));
  }

  @Test
  void shouldAcceptARequestSignedByTheAwsSdkSigner() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "us-east-1", BODY, Map.of());
    assertThat(verifier.verify("POST", "/", headers, body(BODY))).isEqualTo(ID);
  }

  @Test
  void shouldAcceptSdkSignedHeadersWithRepeatedAndPaddedValues() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "us-east-1", BODY,
        Map.of("X-Custom", List.of("a   b", "c"), "X-Amz-Content-Sha256", List.of(sha256Hex(BODY))));
    assertThat(verifier.verify("POST", "/", headers, body(BODY))).isEqualTo(ID);
  }

  @Test
  void shouldRefuseAWrongSecretWithInvalidSignature() {
    HttpHeaders headers = sdkSigned(ID, "not-the-secret", NOW, "us-east-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
                + "Access Key and signing method. Consult the service documentation for details."));
  }

  @Test
  void shouldRefuseABodyChangedAfterSigning() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "us-east-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body("{\"maxResults\":11}")))
        .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("InvalidSignatureException"));
  }

  @Test
  void shouldRefuseADeclaredBodyHashThatIsNotTheBodys() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "us-east-1", BODY, Map.of())
        .set("X-Amz-Content-Sha256", sha256Hex("other"));
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "The provided 'x-amz-content-sha256' header does not match what was computed."));
  }

  @Test
  void shouldRefuseAnUnknownAccessKeyWithUnrecognizedClient() {
    HttpHeaders headers = sdkSigned("AKIAUNKNOWN000000000", SECRET, NOW, "us-east-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "UnrecognizedClientException",
            "The security token included in the request is invalid."));
  }

  @Test
  void shouldRefuseASessionTokenItNeverIssued() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "us-east-1", BODY,
        Map.of("X-Amz-Security-Token", List.of("FwoGZXIvYXdzEJr")));
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("UnrecognizedClientException"));
  }

  @Test
  void shouldRefuseAMissingSignatureWithMissingAuthenticationToken() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Host", "127.0.0.1:8083");
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "MissingAuthenticationTokenException", "Missing Authentication Token"));
  }

  @Test
  void shouldRefuseASignatureOlderThanFifteenMinutesAsExpired() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW.minus(Duration.ofMinutes(16)), "us-east-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "Signature expired: 20260301T094400Z is now earlier than 20260301T094500Z (20260301T100000Z - 15 min.)"));
  }

  @Test
  void shouldRefuseASignatureMoreThanFifteenMinutesAheadAsNotYetCurrent() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW.plus(Duration.ofMinutes(16)), "us-east-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "Signature not yet current: 20260301T101600Z is still later than 20260301T101500Z "
                + "(20260301T100000Z + 15 min.)"));
  }

  @Test
  void shouldAcceptASignatureWithinTheSkew() {
    HttpHeaders early = sdkSigned(ID, SECRET, NOW.minus(Duration.ofMinutes(14)), "us-east-1", BODY, Map.of());
    HttpHeaders late = sdkSigned(ID, SECRET, NOW.plus(Duration.ofMinutes(14)), "us-east-1", BODY, Map.of());
    assertThat(verifier.verify("POST", "/", early, body(BODY))).isEqualTo(ID);
    assertThat(verifier.verify("POST", "/", late, body(BODY))).isEqualTo(ID);
  }

  @Test
  void shouldRefuseASignatureForAnotherRegion() {
    HttpHeaders headers = sdkSigned(ID, SECRET, NOW, "eu-west-1", BODY, Map.of());
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "InvalidSignatureException",
            "Credential should be scoped to a valid region, not 'eu-west-1'. "));
  }

  @Test
  void shouldRefuseAnAuthorizationHeaderWithoutItsParametersAsIncomplete() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Host", "h").add("Authorization", "Bearer abc");
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
                + "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires "
                + "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc"));
  }

  @Test
  void shouldRefuseACredentialWithoutFiveElementsAsIncomplete() {
    HttpHeaders headers = new DefaultHttpHeaders().add("Host", "h").add("X-Amz-Date", "20260301T100000Z")
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=" + ID + "/20260301, SignedHeaders=host, Signature=00");
    assertThatThrownBy(() -> verifier.verify("POST", "/", headers, body(BODY)))
        .satisfies(e -> assertError(e, "IncompleteSignatureException",
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"
                + ID + "/20260301'"));
  }

  @Test
  void shouldReadTheAccessKeysOfASharedCredentialsFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, """
        # keys the API accepts
        [ci]
        aws_access_key_id = AKIACI
        aws_secret_access_key = ci-secret

        [ops]
        aws_access_key_id=AKIAOPS
        aws_secret_access_key=ops/secret+1
        """);
    AccessKeys keys = AccessKeys.load(file);
    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.secret("AKIAOPS")).contains("ops/secret+1");
    assertThat(keys.secret("AKIAOTHER")).isEmpty();
  }

  @Test
  void shouldRefuseACredentialsFileWithAProfileWithoutSecret(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "[ci]\naws_access_key_id = AKIACI\n");
    assertThatThrownBy(() -> AccessKeys.load(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[ci]").hasMessageContaining("aws_secret_access_key");
  }

  private static HttpHeaders suiteHeaders(String signature) {
    return new DefaultHttpHeaders().add("Host", "example.amazonaws.com").add("X-Amz-Date", "20150830T123600Z")
        .add("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=" + signature);
  }

  /** A StepFunctions-like request signed by the SDK's signer at {@code at}; its headers as Netty receives them. */
  private static HttpHeaders sdkSigned(String id, String secret, Instant at, String region, String body,
      Map<String, List<String>> extra) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create("http://127.0.0.1:8083/"))
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .putHeader("X-Amz-Target", "AWSStepFunctions.ListStateMachines");
    extra.forEach(request::putHeader);
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(id, secret))
        .request(request.build())
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "states")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(HttpSigner.SIGNING_CLOCK, clockAt(at)));
    HttpHeaders headers = new DefaultHttpHeaders();
    signed.request().forEachHeader((name, values) -> values.forEach(v -> headers.add(name, v)));
    return headers;
  }

  private static ByteBuf body(String text) {
    return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256Hex(String text) {
    try {
      return java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Clock clockAt(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  private static void assertError(Throwable e, String type, String message) {
    assertThat(e).isInstanceOf(ApiException.class);
    assertThat(((ApiException) e).type()).isEqualTo(type);
    assertThat(e.getMessage()).isEqualTo(message);
  }
}
