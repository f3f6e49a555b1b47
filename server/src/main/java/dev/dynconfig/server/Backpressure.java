package dev.dynconfig.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what one connection can make the server queue: while its outbound buffer is above the
 * high-water mark (the peer does not read what it asked for) the server stops reading from it, and
 * requests already decoded from the last read wait here rather than producing more responses. A
 * peer with more than {@value #MAX_WAITING} requests waiting pipelines without reading and is
 * disconnected. So at most the high-water mark plus one response is queued per connection.
 */
final class Backpressure extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(Backpressure.class);

  /** Decoded requests that may wait for the peer to read; more closes the connection. */
  static final int MAX_WAITING = 16;

  private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest req && (!ctx.channel().isWritable() || !waiting.isEmpty())) {
      if (waiting.size() >= MAX_WAITING) {
        ReferenceCountUtil.release(msg);
        log.info(
            "Closing {}: more than {} pipelined requests while it does not read the responses",
            ctx.channel().remoteAddress(),
            MAX_WAITING);
        ctx.close();
        return;
      }
      waiting.add(req);
      ctx.channel().config().setAutoRead(false);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    while (writable && !waiting.isEmpty()) {
      ctx.fireChannelRead(waiting.poll());
      writable = ctx.channel().isWritable();
    }
    ctx.channel().config().setAutoRead(writable);
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FullHttpRequest r;
    while ((r = waiting.poll()) != null) {
      r.release();
    }
    ctx.fireChannelInactive();
  }
}
