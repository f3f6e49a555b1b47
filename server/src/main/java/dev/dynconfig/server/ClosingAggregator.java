package dev.dynconfig.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Netty's aggregator, except that a body found too large while it streams in (chunked, so no {@code
 * Content-Length} to refuse up front in {@link BodyPolicy}) gets {@code 413} and a closed
 * connection, rather than a keep-alive connection that reads and discards the rest.
 */
final class ClosingAggregator extends HttpObjectAggregator {
  private final int maxBodyBytes;

  ClosingAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    BodyPolicy.refuse(
        ctx,
        "the body is larger than the limit of " + maxBodyBytes + " bytes; nothing was changed");
  }
}
