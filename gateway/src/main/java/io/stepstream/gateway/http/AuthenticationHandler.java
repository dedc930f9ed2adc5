package io.stepstream.gateway.http;

import java.util.Set;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.stepstream.gateway.api.ApiException;
import io.stepstream.gateway.auth.SigV4Verifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline stage before {@link ApiHandler} that lets only signed requests through: a request
 * whose SigV4 signature does not verify is answered with AWS's error here and never reaches an
 * action, so it changes nothing. {@code GET /health} (for probes) and {@code GET /metrics} (for
 * Prometheus, which cannot sign) pass unsigned. Shared by every connection; never blocks.
 */
@ChannelHandler.Sharable
public final class AuthenticationHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  /** Paths served to unsigned {@code GET}s. */
  public static final Set<String> OPEN_PATHS = Set.of("/health", "/metrics");

  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationHandler.class);

  private final SigV4Verifier verifier;

  /** Creates the stage; requests it passes on keep their reference count for the next handler. */
  public AuthenticationHandler(SigV4Verifier verifier) {
    super(false);
    this.verifier = verifier;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.method().equals(HttpMethod.GET) && OPEN_PATHS.contains(request.uri())) {
      ctx.fireChannelRead(request);
      return;
    }
    try {
      verifier.verify(request.method().name(), request.uri(), request.headers(), request.content());
    } catch (ApiException refused) {
      LOG.debug("Refused a request from {}: {} {}", ctx.channel().remoteAddress(), refused.type(), refused.getMessage());
      try {
        ApiHandler.sendError(ctx, HttpUtil.isKeepAlive(request), refused);
      } finally {
        request.release();
      }
      return;
    }
    ctx.fireChannelRead(request);
  }
}
