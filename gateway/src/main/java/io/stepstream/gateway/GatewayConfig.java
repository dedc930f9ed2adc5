package io.stepstream.gateway;

/**
 * Where and how the gateway listens.
 *
 * @param host the address to bind, such as {@code 127.0.0.1}
 * @param port the port, or 0 for a free one
 * @param maxRequestBytes the largest request body accepted; larger ones get HTTP 413
 * @param eventLoopThreads Netty event loop threads; 0 for one per available processor
 */
public record GatewayConfig(String host, int port, int maxRequestBytes, int eventLoopThreads) {

  /**
   * The default request limit: a definition may be 1 MiB of characters, and JSON escaping may
   * grow it, so 4 MiB leaves room without letting a client hold much memory per connection.
   */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /** Returns a config on the given host and port with the default limits. */
  public static GatewayConfig of(String host, int port) {
    return new GatewayConfig(host, port, DEFAULT_MAX_REQUEST_BYTES, 0);
  }
}
