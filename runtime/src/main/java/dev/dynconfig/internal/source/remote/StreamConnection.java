package dev.dynconfig.internal.source.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket session with the server, as the stream protocol reads it: handshake events, text
 * frames parsed into {@code snapshot} messages and handed to the {@link WebSocketSource}, a
 * malformed message or a broken frame ending the session as a fault, a 1003 close after a report
 * meaning the server takes no reports. When the channel closes it tells the source why, and whether
 * the session was clean (handshake done, no fault), which starts the failure streak over.
 */
final class StreamConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
  // Logs under the source's name, which is what operators configure.
  private static final Logger log = LoggerFactory.getLogger(WebSocketSource.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final WebSocketSource source;
  private final ReportSender reports;
  private final Duration readIdleTimeout;

  /** Whether a report went out on this connection (a 1003 close then means "no reports"). */
  private boolean reportSent;

  private String problem;
  private boolean handshook;
  private boolean sawSnapshot;
  private boolean closing;
  // The server broke the protocol: the session counts as a failed attempt.
  private boolean faulted;

  StreamConnection(WebSocketSource source, ReportSender reports, Duration readIdleTimeout) {
    this.source = source;
    this.reports = reports;
    this.readIdleTimeout = readIdleTimeout;
  }

  /** A report went out on this connection. */
  void reportSent() {
    reportSent = true;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      handshook = true;
      source.connected(ctx.channel());
    } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      problem = "WebSocket handshake timed out";
    } else if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      problem = "server silent for " + readIdleTimeout.toMillis() + " ms";
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close) {
      // An older server closes with 1003 on any message from a client: it knows no reports.
      if (close.statusCode() == 1003 && reportSent) {
        reports.refuse();
      }
      ctx.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame())
          .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
      return;
    }
    if (!(frame instanceof TextWebSocketFrame) || closing) {
      // Pings are answered by the protocol handler; nothing else is defined. After deciding to
      // close, frames still in the same read are not applied.
      return;
    }
    JsonNode env;
    try (InputStream in = new ByteBufInputStream(frame.content())) {
      env = MAPPER.readTree(in);
    } catch (IOException e) {
      malformed(ctx, "not JSON: " + e.getMessage());
      return;
    }
    if (env == null || !env.isObject()) {
      malformed(ctx, "not a JSON object");
      return;
    }
    String type = env.path("type").asText("");
    if (!type.equals("snapshot")) {
      log.debug("Ignoring message of type '{}' from {}", type, source.shown());
      return;
    }
    JsonNode v = env.get("version");
    JsonNode doc = env.get("document");
    if (v == null || !v.canConvertToLong() || v.asLong() < 0 || doc == null || !doc.isObject()) {
      malformed(ctx, "snapshot without a non-negative version and a document object");
      return;
    }
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(doc);
    } catch (IOException e) {
      malformed(ctx, e.toString());
      return;
    }
    boolean first = !sawSnapshot;
    sawSnapshot = true;
    String reconnect = source.snapshot(v.asLong(), bytes, first);
    if (reconnect != null) {
      problem = reconnect;
      closing = true;
      ctx.close();
    }
  }

  private void malformed(ChannelHandlerContext ctx, String what) {
    // A server speaking garbage: drop the connection; the backoff keeps this from spinning.
    problem = "malformed message from the server (" + what + ")";
    faulted = true;
    log.warn("{}: {}", source.shown(), problem);
    closing = true;
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof WebSocketClientHandshakeException h && h.response() != null) {
      int status = h.response().status().code();
      problem =
          status == 401
              ? "the server refused the token (401); check option 'token'"
              : "WebSocket handshake refused: HTTP " + status;
    } else if (problem == null) {
      problem = Poller.rootMessage(cause);
    }
    if (cause instanceof DecoderException) {
      // Oversized, invalid UTF-8 or otherwise corrupt frames.
      faulted = true;
    }
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    source.disconnected(
        ctx.channel(), problem != null ? problem : "connection closed", handshook && !faulted);
    super.channelInactive(ctx);
  }
}
