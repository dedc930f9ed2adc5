package io.stepstream.gateway;

import io.stepstream.gateway.auth.SigV4Verifier;

/**
 * Where and how the gateway listens.
 *
 * @param host the address to bind, such as {@code 127.0.0.1}
 * @param port the port, or 0 for a free one
 * @param maxRequestBytes the largest request body accepted; larger ones get HTTP 413
 * @param eventLoopThreads Netty event loop threads; 0 for one per available processor
 * @param authentication checks every request's SigV4 signature but {@code GET /health} and
 *     {@code GET /metrics}; null to accept unsigned requests
 */
public record GatewayConfig(String host, int port, int maxRequestBytes, int eventLoopThreads,
                            SigV4Verifier authentication) {

  /**
   * The default request limit: a definition may be 1 MiB of characters, and JSON escaping may
   * grow it, so 4 MiB leaves room without letting a client hold much memory per connection.
   */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /** Returns a config on the given host and port with the default limits, accepting unsigned requests. */
  public static GatewayConfig of(String host, int port) {
    return new GatewayConfig(host, port, DEFAULT_MAX_REQUEST_BYTES, 0, null);
  }

  /** Returns this config with requests checked by {@code verifier} (null: unchecked). */
  public GatewayConfig withAuthentication(SigV4Verifier verifier) {
    return new GatewayConfig(host, port, maxRequestBytes, eventLoopThreads, verifier);
  }
}
