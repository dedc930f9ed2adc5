package io.stepstream.loadtest.chaos;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;

/** The AWS SDK clients of the harness: dummy credentials, one gateway each. */
final class SfnClients {

  /** The role every state machine names (Stepstream does not assume it). */
  static final String ROLE = "arn:aws:iam::123456789012:role/stepstream-chaos";
  /** A gateway answers a write within 20 s (else 503); reads at once. */
  private static final Duration CALL_LIMIT = Duration.ofSeconds(30);

  private SfnClients() {}

  /**
   * A client that never retries: every error reaches the harness, which counts it. Connecting fails
   * after 2 s (a killed gateway refuses at once).
   */
  static SfnClient withoutRetries(String endpoint) {
    return builder(endpoint)
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
            .retryStrategy(AwsRetryStrategy.doNotRetry()).apiCallTimeout(CALL_LIMIT))
        .build();
  }

  /** A client with the SDK's standard retries (3 attempts), for set-up and the final audit. */
  static SfnClient withRetries(String endpoint) {
    return builder(endpoint)
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true)
            .apiCallTimeout(CALL_LIMIT.multipliedBy(3)))
        .build();
  }

  private static SfnClientBuilder builder(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(CALL_LIMIT).build());
  }
}
