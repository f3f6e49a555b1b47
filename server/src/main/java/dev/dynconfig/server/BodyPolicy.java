package dev.dynconfig.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Decides on the request head, before any body byte is buffered: only admin writes and the
 * console's sign-in ({@link #takesBody}) take a body, so a body announced anywhere else is refused
 * ({@code 413}), and so is a body announced larger than {@code maxBodyBytes}. Either way the
 * connection is closed after the answer instead of reading the body to find the next request (what
 * still arrives for a moment is dropped, never buffered).
 */
final class BodyPolicy extends ChannelInboundHandlerAdapter {
  /** How long a refused upload may go on (discarded) so that its sender reads the answer. */
  static final long LINGER_MILLIS = 1000;

  private final int maxBodyBytes;
  private boolean discarding;

  BodyPolicy(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (discarding) {
      ReferenceCountUtil.release(msg); // refused: the connection is closing, nothing more is served
      return;
    }
    if (msg instanceof HttpRequest req) {
      boolean announcesBody =
          HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
      boolean takesBody = takesBody(req.method(), req.uri());
      String refusal = null;
      if (announcesBody && !takesBody) {
        refusal =
            req.method() + " " + path(req.uri()) + " takes no request body; send it without one";
      } else if (HttpUtil.getContentLength(req, 0L) > maxBodyBytes) {
        refusal =
            "the body is larger than the limit of " + maxBodyBytes + " bytes; nothing was changed";
      }
      if (refusal != null) {
        discarding = true;
        ReferenceCountUtil.release(msg);
        refuse(ctx, refusal);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Admin writes ({@code PUT}/{@code POST /v1/admin/**}), the console's sign-in and a polling
   * client's fleet report ({@code POST /v1/report}, bounded again by its own handler).
   */
  static boolean takesBody(HttpMethod method, String uri) {
    String path = path(uri);
    boolean write = method.equals(HttpMethod.PUT) || method.equals(HttpMethod.POST);
    return write && path.startsWith("/v1/admin/")
        || method.equals(HttpMethod.POST)
            && (path.equals("/v1/session") || path.equals("/v1/report"));
  }

  private static String path(String uri) {
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    return p.length() > 200 ? p.substring(0, 200) + "…" : p;
  }

  static void refuse(ChannelHandlerContext ctx, String reason) {
    byte[] body =
        ("{\"error\": \"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(body));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    // Closing at once could reset the connection while the peer still uploads, and a reset
    // discards our answer unread. So: answer, stop sending, drop what still arrives (never
    // buffered: BodyPolicy discards it) for at most LINGER_MILLIS, then close.
    ctx.writeAndFlush(res)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.channel() instanceof SocketChannel sc && sc.isActive()) {
                    sc.shutdownOutput();
                  }
                  f.channel()
                      .eventLoop()
                      .schedule(() -> f.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                });
  }
}
