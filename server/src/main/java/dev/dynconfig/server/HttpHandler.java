package dev.dynconfig.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dynconfig.internal.json.DocumentException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests: {@code GET /v1/flags}, {@code /v1/stream}, the admin API (authenticated by
 * {@link AuthGate}) and {@code GET /v1/health} (open).
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);

  private final DynconfigServer server;

  HttpHandler(DynconfigServer server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.decoderResult().isSuccess()) {
      respond(ctx, req, HttpResponseStatus.BAD_REQUEST, error("malformed HTTP request"));
      return;
    }
    try {
      route(ctx, req);
    } catch (IllegalArgumentException badEncoding) {
      // QueryStringDecoder: a '%' not followed by two hex digits, in the path or the query.
      respond(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          error("malformed percent-encoding in the request target: " + badEncoding.getMessage()));
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req) {
    QueryStringDecoder qs = new QueryStringDecoder(req.uri());
    String path = qs.rawPath();
    if (path.equals("/v1/flags")) {
      if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
        respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET /v1/flags"));
        return;
      }
      getFlags(ctx, req);
    } else if (path.equals("/v1/health")) {
      health(ctx, req);
    } else if (path.equals("/v1/stream")) {
      stream(ctx, req, qs);
    } else if (path.equals("/v1/report")) {
      report(ctx, req);
    } else if (path.equals("/v1/admin/fleet")) {
      if (!req.method().equals(HttpMethod.GET)) {
        respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET /v1/admin/fleet"));
        return;
      }
      respond(ctx, req, HttpResponseStatus.OK, server.fleet().view());
    } else if (path.startsWith("/v1/admin/")) {
      AdminEndpoint.handle(server.store(), ctx, req, path.substring("/v1/admin/".length()));
    } else {
      respond(ctx, req, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path));
    }
  }

  private void getFlags(ChannelHandlerContext ctx, FullHttpRequest req) {
    Snapshot cur = server.store().current();
    String inm = req.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    long held = inm == null ? -1 : heldVersion(inm);
    if (held > cur.version()) {
      // A poller holds a newer version than ours: answer once the store has moved above it.
      server
          .store()
          .raiseAbove(held, "poller " + ctx.channel().remoteAddress())
          .whenComplete(
              (s, err) ->
                  ctx.executor().execute(() -> getFlags(ctx, req, inm, s != null ? s : cur)));
      return;
    }
    getFlags(ctx, req, inm, cur);
  }

  /** The version in a single strong or weak numeric entity tag, else -1. */
  static long heldVersion(String ifNoneMatch) {
    String t = ifNoneMatch.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() < 3 || t.length() > 20 || !t.startsWith("\"") || !t.endsWith("\"")) {
      return -1;
    }
    try {
      return Long.parseLong(t.substring(1, t.length() - 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void getFlags(ChannelHandlerContext ctx, FullHttpRequest req, String inm, Snapshot s) {
    FullHttpResponse res;
    if (inm != null && etagMatches(inm, s.etag())) {
      res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    } else {
      res =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              req.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : server.wire().body(s));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    res.headers().set(HttpHeaderNames.ETAG, s.etag());
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    send(ctx, req, res);
  }

  /**
   * For load balancers, without a token: 200 while the store can take writes, 503 while it cannot
   * (reads and streams are still served then). Says nothing about where the store is.
   */
  private void health(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.method().equals(HttpMethod.GET)) {
      respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use GET /v1/health"));
      return;
    }
    boolean ok = server.storeAvailable();
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("status", ok ? "ok" : "unavailable");
    n.put("version", server.version());
    n.put("store", server.storeKind());
    respond(ctx, req, ok ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, n);
  }

  static boolean etagMatches(String ifNoneMatch, String etag) {
    for (String part : ifNoneMatch.split(",")) {
      String t = part.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private void stream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs) {
    if (!req.method().equals(HttpMethod.GET)
        || !req.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
      respond(
          ctx,
          req,
          HttpResponseStatus.BAD_REQUEST,
          error("/v1/stream is a WebSocket endpoint: send a GET with Upgrade: websocket"));
      return;
    }
    long clientVersion = -1;
    List<String> v = qs.parameters().get("version");
    if (v != null && !v.isEmpty()) {
      try {
        clientVersion = Long.parseLong(v.get(0));
      } catch (NumberFormatException e) {
        clientVersion = -1; // unknown: send the full document
      }
    }
    if (clientVersion > FlagStore.MAX_CLAIMED_VERSION) {
      log.warn(
          "Stream client {} reports version {}, above the highest the server accepts ({}):"
              + " sending it the current document",
          ctx.channel().remoteAddress(),
          clientVersion,
          FlagStore.MAX_CLAIMED_VERSION);
      clientVersion = -1;
    }
    String scheme = server.tls() ? "wss" : "ws";
    WebSocketServerHandshakerFactory factory =
        new WebSocketServerHandshakerFactory(
            scheme + "://" + req.headers().get(HttpHeaderNames.HOST) + "/v1/stream",
            null,
            false,
            // Report messages (PROTOCOL.md) may be larger than other frames.
            Math.max(server.maxFrameBytes(), FleetRegistry.MAX_REPORT_BYTES + 1024));
    WebSocketServerHandshaker hs = factory.newHandshaker(req);
    if (hs == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline p = ctx.pipeline();
    long reported = clientVersion;
    StreamHandler handler =
        new StreamHandler(
            hs, ctx.channel(), clientVersion, server.fatal(), server.wire(), server.fleet());
    p.remove(AuthGate.class);
    p.replace(this, "stream", handler);
    hs.handshake(ctx.channel(), req)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    f.channel().close();
                    return;
                  }
                  // Register first, then send the current document: a broadcast racing with this
                  // is either sent after it or dropped as not newer (see StreamHandler).
                  // Streams take whole documents: a deeper queue than plain HTTP before the
                  // newest-pending-snapshot coalescing starts.
                  f.channel().config().setWriteBufferWaterMark(DynconfigServer.STREAM_WATER_MARK);
                  server.register(f.channel(), handler);
                  handler.offer(server.store().current());
                  if (reported > server.store().current().version()) {
                    // The store was restored below this client: move above it (broadcast).
                    server
                        .store()
                        .raiseAbove(reported, "stream client " + f.channel().remoteAddress());
                  }
                });
  }

  /** {@code POST /v1/report}: a polling client's report (PROTOCOL.md); 204, 400 or 413. */
  private void report(ChannelHandlerContext ctx, FullHttpRequest req) {
    if (!req.method().equals(HttpMethod.POST)) {
      respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use POST /v1/report"));
      return;
    }
    byte[] bytes = new byte[req.content().readableBytes()];
    req.content().getBytes(req.content().readerIndex(), bytes);
    try {
      server.fleet().accept(bytes, String.valueOf(ctx.channel().remoteAddress()));
    } catch (FleetRegistry.RejectedReport e) {
      log.warn("Refused a report from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
      respond(
          ctx,
          req,
          e.tooLarge ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
          error(e.getMessage()));
      return;
    }
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
    send(ctx, req, res);
  }

  static ObjectNode error(String message) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("error", message);
    return n;
  }

  static ObjectNode problems(DocumentException e) {
    ObjectNode n = error(e.getMessage());
    ArrayNode arr = n.putArray("problems");
    for (DocumentException.Problem p : e.problems()) {
      ObjectNode o = arr.addObject();
      o.put("path", p.path());
      o.put("value", p.value());
      o.put("reason", p.reason());
    }
    return n;
  }

  /** Called for this request from any thread; keeps {@code req} alive until then. */
  static void respond(
      ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, ObjectNode body) {
    respond(ctx, req, status, body, null);
  }

  static void respond(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      HttpResponseStatus status,
      ObjectNode body,
      String etag) {
    byte[] bytes;
    try {
      bytes = FlagStore.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      bytes = "{}".getBytes(StandardCharsets.UTF_8);
    }
    FullHttpResponse res =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    if (etag != null) {
      res.headers().set(HttpHeaderNames.ETAG, etag);
    }
    send(ctx, req, res);
  }

  static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    HttpUtil.setContentLength(res, res.content().readableBytes());
    if (keepAlive) {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(res);
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close(); // an idle plain-HTTP connection: free it
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.fatal().check(cause, "HTTP connection " + ctx.channel().remoteAddress());
    log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
