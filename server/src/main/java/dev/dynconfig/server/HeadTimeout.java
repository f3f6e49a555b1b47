package dev.dynconfig.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request head must arrive whole within {@code timeout} of the connection opening or of the
 * previous response: a peer trickling header bytes ("slowloris") keeps resetting an idle timer, not
 * this one. Disarmed for good once the connection becomes a WebSocket.
 */
final class HeadTimeout extends ChannelDuplexHandler {
  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  private boolean upgraded;

  HeadTimeout(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest) {
      disarm();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse res) {
      if (res.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)) {
        upgraded = true;
        disarm();
      } else {
        promise.addListener(f -> arm(ctx));
      }
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    ctx.fireChannelInactive();
  }

  private void arm(ChannelHandlerContext ctx) {
    if (upgraded || !ctx.channel().isActive()) {
      return;
    }
    disarm();
    timer = ctx.executor().schedule(() -> ctx.close(), timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
