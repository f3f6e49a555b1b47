package dev.dynconfig.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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

  private final FleetRegistry fleet;

  /** A report arriving in several frames, bounded by {@link FleetRegistry#MAX_REPORT_BYTES}. */
  private java.io.ByteArrayOutputStream fragments;

  StreamHandler(
      WebSocketServerHandshaker handshaker,
      Channel channel,
      long clientVersion,
      FatalErrors fatal,
      WireForms wire,
      FleetRegistry fleet) {
    this.fatal = fatal;
    this.wire = wire;
    this.handshaker = handshaker;
    this.channel = channel;
    this.lastSent = clientVersion;
    this.fleet = fleet;
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
    } else if (fleet != null
        && (frame instanceof TextWebSocketFrame || frame instanceof ContinuationWebSocketFrame)) {
      reportFragment(ctx, frame);
    } else {
      // Only report messages go client-to-server; anything else is a confused or hostile peer.
      handshaker.close(
          ctx.channel(),
          new CloseWebSocketFrame(
              WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
              "clients send only report messages on /v1/stream"));
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

  /**
   * A client's {@code report} message (PROTOCOL.md). A text message of another type is refused as
   * before (1003, so older clients' expectations hold); an oversized report closes with 1009, a
   * malformed one with 1007; each refusal is logged with the peer.
   */
  private void reportFragment(ChannelHandlerContext ctx, WebSocketFrame frame) {
    boolean first = frame instanceof TextWebSocketFrame;
    if (first == (fragments != null)) {
      refuse(ctx, WebSocketCloseStatus.PROTOCOL_ERROR, "unexpected continuation frame");
      return;
    }
    if (first) {
      fragments = new java.io.ByteArrayOutputStream();
    }
    int size = fragments.size() + frame.content().readableBytes();
    if (size > FleetRegistry.MAX_REPORT_BYTES) {
      log.warn(
          "Refused a report from {}: over the limit of {} bytes",
          ctx.channel().remoteAddress(),
          FleetRegistry.MAX_REPORT_BYTES);
      refuse(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG, "report over 256 KiB");
      return;
    }
    byte[] bytes = new byte[frame.content().readableBytes()];
    frame.content().getBytes(frame.content().readerIndex(), bytes);
    fragments.writeBytes(bytes);
    if (first && !looksLikeReport(fragments.toByteArray())) {
      refuse(
          ctx,
          WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
          "clients send only report messages on /v1/stream");
      return;
    }
    if (frame.isFinalFragment()) {
      byte[] message = fragments.toByteArray();
      fragments = null;
      report(ctx, message);
    }
  }

  private void refuse(ChannelHandlerContext ctx, WebSocketCloseStatus status, String reason) {
    fragments = null;
    handshaker.close(ctx.channel(), new CloseWebSocketFrame(status, reason));
  }

  private void report(ChannelHandlerContext ctx, byte[] bytes) {
    if (bytes.length <= FleetRegistry.MAX_REPORT_BYTES && !looksLikeReport(bytes)) {
      handshaker.close(
          ctx.channel(),
          new CloseWebSocketFrame(
              WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
              "clients send only report messages on /v1/stream"));
      return;
    }
    try {
      fleet.accept(bytes, String.valueOf(ctx.channel().remoteAddress()));
    } catch (FleetRegistry.RejectedReport e) {
      log.warn("Refused a report from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
      handshaker.close(
          ctx.channel(),
          new CloseWebSocketFrame(
              e.tooLarge
                  ? WebSocketCloseStatus.MESSAGE_TOO_BIG
                  : WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
              e.getMessage().length() > 120 ? e.getMessage().substring(0, 120) : e.getMessage()));
    }
  }

  /** Whether a text message declares {@code "type":"report"} (checked before a full parse). */
  private static boolean looksLikeReport(byte[] bytes) {
    String head =
        new String(bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.UTF_8);
    return head.replace(" ", "").startsWith("{\"type\":\"report\"");
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
