package dev.dynconfig.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Checks who is calling on the request head, before any body is buffered: an unauthenticated peer
 * gets {@code 401}, an empty body and a closed connection; an authenticated one whose role does not
 * allow the request ({@link Access}) gets {@code 403} with the reason. Neither can make the server
 * aggregate anything.
 */
final class AuthGate extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("dynconfig.principal");
  static final AttributeKey<Source> SOURCE = AttributeKey.valueOf("dynconfig.source");

  private final Principals principals;
  private boolean discarding;

  AuthGate(Principals principals) {
    this.principals = principals;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      Principal p = principals.fromAuthorization(req.headers().get(HttpHeaderNames.AUTHORIZATION));
      if (p == null) {
        refuse(ctx, msg, HttpResponseStatus.UNAUTHORIZED, null);
        return;
      }
      Role needed = Access.required(req.method(), req.uri());
      if (!p.role().allows(needed)) {
        refuse(
            ctx,
            msg,
            HttpResponseStatus.FORBIDDEN,
            p.name()
                + " has the role "
                + p.role().wireName()
                + "; "
                + req.method()
                + " on this path needs "
                + needed.wireName());
        return;
      }
      discarding = false;
      ctx.channel().attr(PRINCIPAL).set(p);
      ctx.channel().attr(SOURCE).set(Source.API);
    } else if (discarding && msg instanceof HttpContent) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private void refuse(
      ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String reason) {
    discarding = true;
    ReferenceCountUtil.release(msg);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            reason == null
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(
                    HttpHandler.error(reason).toString().getBytes(StandardCharsets.UTF_8)));
    if (reason != null) {
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    res.headers().set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }
}
