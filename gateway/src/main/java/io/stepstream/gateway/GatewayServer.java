package io.stepstream.gateway;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.stepstream.gateway.api.Action;
import io.stepstream.gateway.api.ActionRegistry;
import io.stepstream.gateway.http.ApiHandler;
import io.stepstream.gateway.http.AuthenticationHandler;
import io.stepstream.gateway.http.MetricsEndpoint;

/**
 * The HTTP server of the Step Functions API: Netty, AWS JSON 1.0 on {@code POST /}, and
 * {@code GET /health}; with {@link GatewayConfig#authentication()} set, only SigV4-signed requests
 * reach the actions.
 *
 * <p>{@link #start} binds and returns; requests are served on the event loops until
 * {@link #close()}. Thread-safe.
 */
public final class GatewayServer implements AutoCloseable {

  private final EventLoopGroup group;
  private final Channel channel;

  private GatewayServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds the server.
   *
   * @param config host, port and limits
   * @param actions the API actions
   * @param ready answers {@code GET /health}: 200 while it returns true, 503 before
   * @return the running server
   * @throws IllegalStateException if the address cannot be bound
   */
  public static GatewayServer start(GatewayConfig config, ActionRegistry actions, BooleanSupplier ready) {
    return start(config, new ApiHandler(actions, ready));
  }

  /**
   * Binds the server, serving {@code GET /metrics} too.
   *
   * @param config host, port and limits
   * @param actions the API actions
   * @param ready answers {@code GET /health}: 200 while it returns true, 503 before
   * @param metrics where the HTTP layer counts, and what {@code GET /metrics} serves
   * @return the running server
   * @throws IllegalStateException if the address cannot be bound
   */
  public static GatewayServer start(GatewayConfig config, ActionRegistry actions, BooleanSupplier ready,
      MetricsEndpoint metrics) {
    return start(config, new ApiHandler(actions, ready, metrics));
  }

  /**
   * Binds a server whose table of actions may change while it serves (the internal listener).
   *
   * @param config host, port and limits
   * @param actions the action of a name, or null for an unknown operation; must not block
   * @param ready answers {@code GET /health}: 200 while it returns true, 503 before
   * @return the running server
   * @throws IllegalStateException if the address cannot be bound
   */
  public static GatewayServer start(GatewayConfig config, Function<String, Action> actions, BooleanSupplier ready) {
    return start(config, new ApiHandler(actions, ready, MetricsEndpoint.none()));
  }

  private static GatewayServer start(GatewayConfig config, ApiHandler api) {
    // Netty's leak detector samples buffers and records stack traces: a cost on every request, worth it
    // only when hunting a leak (set -Dio.netty.leakDetection.level to turn it back on).
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    AuthenticationHandler authentication =
        config.authentication() == null ? null : new AuthenticationHandler(config.authentication());
    EventLoopGroup group = new NioEventLoopGroup(config.eventLoopThreads());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpServerKeepAliveHandler())
                .addLast(new HttpObjectAggregator(config.maxRequestBytes()));
            if (authentication != null) {
              ch.pipeline().addLast(authentication);
            }
            ch.pipeline().addLast(api);
          }
        });
    try {
      Channel channel = bootstrap.bind(config.host(), config.port()).sync().channel();
      return new GatewayServer(group, channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("Interrupted while binding " + config.host() + ":" + config.port(), e);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("Cannot bind " + config.host() + ":" + config.port(), e);
    }
  }

  /** Returns the bound port (useful when the config asked for port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Returns {@code http://host:port}. */
  public String endpoint() {
    InetSocketAddress address = (InetSocketAddress) channel.localAddress();
    return "http://" + address.getHostString() + ":" + address.getPort();
  }

  /** Stops accepting, lets in-flight responses finish briefly, and stops the event loops. Blocks. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
