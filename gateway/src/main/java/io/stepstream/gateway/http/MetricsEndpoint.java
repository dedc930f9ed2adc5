package io.stepstream.gateway.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the API's HTTP layer publishes about itself and serves at {@code GET /metrics}.
 *
 * @param registry where the HTTP layer counts (requests refused with ThrottlingException, by action)
 * @param scrape the registry in Prometheus's text exposition format, or null when {@code /metrics} is not served
 */
public record MetricsEndpoint(MeterRegistry registry, Supplier<String> scrape) {

  /** Prometheus's text exposition format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** Checks the registry. */
  public MetricsEndpoint {
    Objects.requireNonNull(registry, "registry");
  }

  /** Counts nothing and serves no {@code /metrics} (the internal listener, tests). */
  public static MetricsEndpoint none() {
    return new MetricsEndpoint(new CompositeMeterRegistry(), null);
  }
}
