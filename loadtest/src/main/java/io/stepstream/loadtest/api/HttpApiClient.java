package io.stepstream.loadtest.api;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A non-blocking HTTP/1.1 client for the AWS JSON 1.0 API over a fixed number of keep-alive
 * connections, each carrying one request at a time (no pipelining). Calls are queued and handed to
 * the next free connection, so {@link #submit} never waits: an open-loop feeder keeps its schedule
 * however slowly the server answers, and the wait in the queue counts as latency.
 *
 * <p>Thread-safe. Callbacks run on the client's event loop and must not block.
 */
final class HttpApiClient implements AutoCloseable {

  /** What a call reports when it finishes. */
  interface Callback {

    /**
     * The call finished.
     *
     * @param status the HTTP status, or -1 when the connection failed before a response
     * @param body the response body, or the failure's message
     */
    void done(int status, String body);
  }

  /** One API call: the {@code X-Amz-Target} action, its JSON body and what to do with the answer. */
  record Call(String target, byte[] body, Callback callback) {}

  private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

  private final EventLoopGroup group;
  private final String host;
  private final String hostHeader;
  private final Queue<Call> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final List<Connection> connections = new ArrayList<>();

  private HttpApiClient(EventLoopGroup group, String host, String hostHeader) {
    this.group = group;
    this.host = host;
    this.hostHeader = hostHeader;
  }

  /**
   * Connects {@code connections} keep-alive connections to the endpoint.
   *
   * @param endpoint {@code http://host:port}
   * @param connections how many connections, hence at most how many calls are in flight
   * @param ioThreads event loop threads
   * @throws IllegalStateException when a connection cannot be made
   */
  static HttpApiClient connect(URI endpoint, int connections, int ioThreads) {
    if (!"http".equals(endpoint.getScheme())) {
      throw new IllegalArgumentException("only http:// endpoints are supported: " + endpoint);
    }
    int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    HttpApiClient client = new HttpApiClient(new NioEventLoopGroup(ioThreads), endpoint.getHost(),
        endpoint.getHost() + ":" + port);
    Bootstrap bootstrap = new Bootstrap()
        .group(client.group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                .addLast(client.new Connection());
          }
        });
    try {
      for (int i = 0; i < connections; i++) {
        Channel channel = bootstrap.connect(client.host, port).sync().channel();
        Connection connection = channel.pipeline().get(Connection.class);
        client.connections.add(connection);
        client.idle.push(connection);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("interrupted while connecting to " + endpoint, e);
    } catch (RuntimeException e) {
      client.close();
      throw new IllegalStateException("cannot connect to " + endpoint + ": " + e.getMessage(), e);
    }
    return client;
  }

  /** Queues a call for the next free connection; never blocks. */
  void submit(Call call) {
    queue.add(call);
    dispatch();
  }

  /** Calls waiting for a free connection. */
  int queued() {
    return queue.size();
  }

  private void dispatch() {
    while (!queue.isEmpty()) {
      Connection connection = idle.poll();
      if (connection == null) {
        return;
      }
      Call call = queue.poll();
      if (call == null) {
        idle.push(connection);
      } else {
        connection.send(call);
      }
    }
  }

  @Override
  public void close() {
    for (Connection connection : connections) {
      connection.close();
    }
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One keep-alive connection and the call it carries. */
  private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {

    private volatile Channel channel;
    private volatile Call current;

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      channel = ctx.channel();
      super.channelActive(ctx);
    }

    void send(Call call) {
      current = call;
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
          Unpooled.wrappedBuffer(call.body()));
      request.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0")
          .set("X-Amz-Target", call.target())
          .setInt(HttpHeaderNames.CONTENT_LENGTH, call.body().length);
      Channel ch = channel;
      if (ch == null || !ch.isActive()) {
        finish(-1, "connection closed");
        return;
      }
      ch.writeAndFlush(request).addListener(future -> {
        if (!future.isSuccess()) {
          finish(-1, String.valueOf(future.cause()));
        }
      });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      finish(response.status().code(), response.content().toString(StandardCharsets.UTF_8));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      finish(-1, "connection closed by the server");
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      finish(-1, String.valueOf(cause));
      ctx.close();
    }

    private void finish(int status, String body) {
      Call call = current;
      if (call == null) {
        return;
      }
      current = null;
      call.callback().done(status, body);
      Channel ch = channel;
      if (ch == null || !ch.isActive()) {
        // A dead connection takes no more calls; the others carry the load.
        return;
      }
      Call next = queue.poll();
      if (next != null) {
        send(next);
      } else {
        idle.push(this);
        dispatch();
      }
    }

    void close() {
      Channel ch = channel;
      if (ch != null) {
        ch.close();
      }
    }
  }
}
