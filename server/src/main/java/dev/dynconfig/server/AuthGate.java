package dev.dynconfig.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks the bearer token on the request head, before any body is buffered: an unauthenticated peer
 * gets {@code 401}, an empty body and a closed connection, and cannot make the server aggregate
 * anything. {@code /v1/admin/**} needs the admin token, except {@code GET /v1/admin/fleet} (read
 * only, no secrets); everything else the read (or admin) token.
 */
final class AuthGate extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Tokens.Role> ROLE = AttributeKey.valueOf("dynconfig.role");

  private final Tokens tokens;
  private boolean discarding;

  AuthGate(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      Tokens.Role role = tokens.roleOf(req.headers().get(HttpHeaderNames.AUTHORIZATION));
      String path = req.uri();
      boolean admin =
          (path.startsWith("/v1/admin/") || path.equals("/v1/admin"))
              && !(path.equals("/v1/admin/fleet") && req.method().equals(HttpMethod.GET));
      boolean ok = admin ? role == Tokens.Role.ADMIN : role != Tokens.Role.NONE;
      if (!ok) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        FullHttpResponse res =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED, Unpooled.EMPTY_BUFFER);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        res.headers().set(HttpHeaderNames.CONNECTION, "close");
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      discarding = false;
      ctx.channel().attr(ROLE).set(role);
    } else if (discarding && msg instanceof HttpContent) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
