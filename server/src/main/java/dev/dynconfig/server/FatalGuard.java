package dev.dynconfig.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in every pipeline (and on the listening channel): hands fatal errors that Netty would only
 * log to {@link FatalErrors} — failures of reads and accepts (reported through the pipeline) and of
 * writes (reported only to the write's promise, e.g. when direct memory is exhausted).
 */
@ChannelHandler.Sharable
final class FatalGuard extends ChannelDuplexHandler {
  private final FatalErrors fatal;
  private final ChannelFutureListener onWriteDone;

  FatalGuard(FatalErrors fatal) {
    this.fatal = fatal;
    this.onWriteDone =
        f -> {
          if (!f.isSuccess()) {
            fatal.check(f.cause(), "a write to " + f.channel().remoteAddress());
          }
        };
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!promise.isVoid()) {
      promise.addListener(onWriteDone);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fatal.check(cause, "connection " + ctx.channel());
    ctx.fireExceptionCaught(cause);
  }
}
