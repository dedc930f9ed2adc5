package io.stepstream.server;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The AWS SDK client the end-to-end tests drive Stepstream with, and a condition waiter. */
final class SfnTestClients {

  static final String ROLE = "arn:aws:iam::123456789012:role/stepstream";

  private SfnTestClients() {}

  /** An SfnClient for a Stepstream endpoint, with dummy credentials. */
  static SfnClient client(String endpoint) {
    return SfnClient.builder()
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        // Clients send StartSyncExecution to sync-<host>; 127.0.0.1 has no such name.
        .overrideConfiguration(c -> c.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Polls {@code probe} until it returns non-null (at most 90 s); never a fixed sleep in place of a condition. */
  static <T> T waitFor(Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
