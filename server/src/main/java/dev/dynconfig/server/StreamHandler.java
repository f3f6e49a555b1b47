package dev.dynconfig.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /v1/stream} connection. Every send happens on the channel's event loop and only when
 * the version is above the last one sent, so a client sees strictly increasing versions whatever
 * the interleaving of connect and broadcasts. A client that does not read (channel not writable)
 * holds at most one pending snapshot: the newest replaces older ones, bounding memory per
 * connection.
 */
final class StreamHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);

  private final WebSocketServerHandshaker handshaker;
  private final Channel channel;
  private final FatalErrors fatal;
  private final WireForms wire;

  /**
   * Pings a client may send per second; dynconfig clients send none (the server pings them), so
   * this only stops floods.
   */
  static final int MAX_PINGS_PER_SECOND = 50;

  private long pingWindowStart = System.nanoTime();
  private int pingsInWindow;
  private long lastSent;
  private Snapshot pending;

  StreamHandler(
      WebSocketServerHandshaker handshaker,
      Channel channel,
      long clientVersion,
      FatalErrors fatal,
      WireForms wire) {
    this.fatal = fatal;
    this.wire = wire;
    this.handshaker = handshaker;
    this.channel = channel;
    this.lastSent = clientVersion;
  }

  /** From any thread: deliver {@code s} if it is newer than what this client has. */
  void offer(Snapshot s) {
    if (channel.eventLoop().inEventLoop()) {
      send(s, null);
    } else {
      channel.eventLoop().execute(fatal.guard(() -> send(s, null), "a stream send"));
    }
  }

  Channel channel() {
    return channel;
  }

  /**
   * On this channel's event loop: deliver {@code s} if it is newer than what this client has.
   * {@code frame}, when not null, is {@code s} already encoded by {@link #encodeFrame} and shared
   * by every client of a broadcast: this client gets a retained duplicate (the bytes are not
   * copied; the caller keeps its own reference). A client that cannot take it now keeps only {@code
   * s} as pending, encoded again when it drains.
   */
  void send(Snapshot s, ByteBuf frame) {
    if (s.version() <= lastSent || !channel.isActive()) {
      return;
    }
    if (!channel.isWritable()) {
      if (pending == null || pending.version() < s.version()) {
        pending = s;
      }
      return;
    }
    lastSent = s.version();
    // The frame bytes go past the WebSocket encoder untouched (it only encodes WebSocketFrame
    // objects); TLS, when on, still encrypts them per connection below it.
    channel.writeAndFlush(frame != null ? frame.retainedDuplicate() : wire.frame(s));
  }

  /**
   * {@code s} as one complete WebSocket text frame, exactly as Netty's server-side encoder writes
   * it (FIN, opcode 1, no mask, 7/16/64-bit length), in a direct buffer: encoding the document once
   * per broadcast rather than once per client, and writing it to every socket without first copying
   * it from the heap.
   */
  static ByteBuf encodeFrame(Snapshot s) {
    ByteBuf payload = message(s);
    try {
      int length = payload.readableBytes();
      int header = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
      ByteBuf frame = Unpooled.directBuffer(header + length);
      frame.writeByte(0x80 | 0x1); // FIN + text
      if (length <= 125) {
        frame.writeByte(length);
      } else if (length <= 0xFFFF) {
        frame.writeByte(126).writeShort(length);
      } else {
        frame.writeByte(127).writeLong(length);
      }
      return frame.writeBytes(payload);
    } finally {
      payload.release();
    }
  }

  /**
   * {@code {"type":"snapshot","version":N,"document":<the file's JSON>}}, built without copying the
   * document.
   */
  static ByteBuf message(Snapshot s) {
    byte[] head =
        ("{\"type\":\"snapshot\",\"version\":" + s.version() + ",\"document\":")
            .getBytes(StandardCharsets.UTF_8);
    return Unpooled.wrappedBuffer(head, s.bytes(), new byte[] {'}'});
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && pending != null) {
      Snapshot p = pending;
      pending = null;
      send(p, null);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      if (!ctx.channel().isWritable() || tooManyPings()) {
        // Pings while our pongs and snapshots pile up unread (or faster than anyone needs):
        // queueing more pongs would grow without bound, so this peer loses its connection.
        log.info(
            "Closing stream client {}: {}",
            ctx.channel().remoteAddress(),
            ctx.channel().isWritable()
                ? "more than " + MAX_PINGS_PER_SECOND + " pings in a second"
                : "it sends pings but does not read what is sent to it");
        ctx.close();
        return;
      }
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof PongWebSocketFrame) {
      // Liveness only: the IdleStateHandler already saw the bytes.
    } else if (frame instanceof CloseWebSocketFrame) {
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    } else {
      // The protocol is server-to-client only; anything else is a confused or hostile peer.
      handshaker.close(
          ctx.channel(),
          new CloseWebSocketFrame(
              WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "clients send no messages on /v1/stream"));
    }
  }

  /** Counts a ping in the current one-second window; true when the window has too many. */
  private boolean tooManyPings() {
    long now = System.nanoTime();
    if (now - pingWindowStart > 1_000_000_000L) {
      pingWindowStart = now;
      pingsInWindow = 0;
    }
    return ++pingsInWindow > MAX_PINGS_PER_SECOND;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      if (e.isFirst()) {
        ctx.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'d', 'c'})));
      } else {
        log.debug("Closing silent stream client {}", ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fatal.check(cause, "stream connection " + ctx.channel().remoteAddress());
    log.debug("Stream connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
