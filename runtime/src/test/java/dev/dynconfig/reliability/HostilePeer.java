package dev.dynconfig.reliability;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake dynconfig server that misbehaves on purpose. It speaks raw bytes: every connection reads
 * the HTTP request head and then runs the next queued {@link Script} (or the default one), which
 * decides byte by byte what the client sees — a proper or broken handshake, hand-built WebSocket
 * frames (so headers can lie about lengths, frames can stop half way), HTTP responses, silence.
 */
final class HostilePeer implements AutoCloseable {
  /** What the peer does with one connection once the request head arrived. */
  @FunctionalInterface
  interface Script {
    void run(Conn c) throws Exception;
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final ConcurrentLinkedDeque<Script> queued = new ConcurrentLinkedDeque<>();
  private volatile Script defaultStream = Conn::stall;
  private volatile Script defaultFlags = c -> c.http(503, "", "");

  /** Request lines seen, in order, e.g. {@code GET /v1/stream?version=5 HTTP/1.1}. */
  final List<String> requests = new CopyOnWriteArrayList<>();

  /** Connections the client closed (or lost) while the script still held them open. */
  final AtomicLong closedByClient = new AtomicLong();

  HostilePeer() {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new Conn());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  String wsUrl() {
    return "ws://127.0.0.1:" + port() + "/v1/stream";
  }

  String httpUrl() {
    return "http://127.0.0.1:" + port() + "/v1/flags";
  }

  /** The next {@code /v1/stream} connection runs {@code s} (FIFO). */
  HostilePeer then(Script s) {
    queued.add(s);
    return this;
  }

  /** Stream connections beyond the queued ones run {@code s}. */
  HostilePeer otherwise(Script s) {
    defaultStream = s;
    return this;
  }

  /** Every {@code GET /v1/flags} runs {@code s}. */
  HostilePeer flags(Script s) {
    defaultFlags = s;
    return this;
  }

  long streamRequests() {
    return requests.stream().filter(r -> r.contains("/v1/stream")).count();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One connection. Methods are called from scripts on the peer's event loop. */
  final class Conn extends ChannelInboundHandlerAdapter {
    private final StringBuilder head = new StringBuilder();
    private ChannelHandlerContext ctx;
    private boolean started;
    private boolean scriptClosed;
    String requestLine;
    String wsKey;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      this.ctx = ctx;
      ByteBuf b = (ByteBuf) msg;
      try {
        if (started) {
          return; // whatever the client says after the head (close frames, pongs) is ignored
        }
        head.append(b.toString(StandardCharsets.ISO_8859_1));
      } finally {
        ReferenceCountUtil.release(msg);
      }
      int end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        return;
      }
      started = true;
      String[] lines = head.substring(0, end).split("\r\n");
      requestLine = lines[0];
      for (String l : lines) {
        if (l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
          wsKey = l.substring(l.indexOf(':') + 1).trim();
        }
      }
      requests.add(requestLine);
      Script s = requestLine.contains("/v1/stream") ? nextStream() : defaultFlags;
      s.run(this);
    }

    private Script nextStream() {
      Script s = queued.poll();
      return s != null ? s : defaultStream;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!scriptClosed) {
        closedByClient.incrementAndGet();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    /** Does nothing: the client waits for bytes that never come. */
    void stall() {}

    /** A correct RFC 6455 handshake response. */
    Conn handshake() throws Exception {
      byte[] sha =
          MessageDigest.getInstance("SHA-1")
              .digest(
                  (wsKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                      .getBytes(StandardCharsets.ISO_8859_1));
      return raw(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + Base64.getEncoder().encodeToString(sha)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
    }

    Conn raw(byte[] bytes) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes));
      return this;
    }

    /** A complete unmasked server frame. */
    Conn frame(int opcode, boolean fin, byte[] payload) {
      raw(frameHeader(opcode, fin, payload.length));
      return raw(payload);
    }

    Conn text(String s) {
      return frame(0x1, true, s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"type":"snapshot","version":v,"document":doc}}. */
    Conn snapshot(long v, String doc) {
      return text("{\"type\":\"snapshot\",\"version\":" + v + ",\"document\":" + doc + "}");
    }

    Conn http(int status, String headers, String body) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      raw(
          ("HTTP/1.1 "
                  + status
                  + " X\r\nContent-Length: "
                  + b.length
                  + "\r\nConnection: close\r\n"
                  + headers
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      raw(b);
      return close();
    }

    Conn close() {
      scriptClosed = true;
      ctx.close();
      return this;
    }

    /** Runs {@code r} on this connection's loop after {@code ms}. */
    Conn later(long ms, Runnable r) {
      ctx.executor().schedule(r, ms, TimeUnit.MILLISECONDS);
      return this;
    }

    boolean open() {
      return ctx.channel().isActive();
    }
  }

  /** FIN/opcode byte and the length encoding of RFC 6455 §5.2, server side (no mask). */
  static byte[] frameHeader(int opcode, boolean fin, long length) {
    int b0 = (fin ? 0x80 : 0) | opcode;
    if (length < 126) {
      return new byte[] {(byte) b0, (byte) length};
    }
    if (length < 65536) {
      return new byte[] {(byte) b0, 126, (byte) (length >>> 8), (byte) length};
    }
    byte[] h = new byte[10];
    h[0] = (byte) b0;
    h[1] = 127;
    for (int i = 0; i < 8; i++) {
      h[2 + i] = (byte) (length >>> (56 - 8 * i));
    }
    return h;
  }
}
