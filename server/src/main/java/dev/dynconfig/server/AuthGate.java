package dev.dynconfig.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Checks who is calling on the request head, before any body is buffered: an unauthenticated peer
 * gets {@code 401}, an empty body and a closed connection; an authenticated one whose role does not
 * allow the request ({@link Access}) gets {@code 403} with the reason. Neither can make the server
 * aggregate anything. A client address that sends too many wrong bearer tokens to {@code
 * /v1/admin/} gets {@code 429} for a while ({@link SignInLimiter}). {@code GET /v1/health} and the
 * console's public files need no credentials.
 */
final class AuthGate extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Principal> PRINCIPAL = AttributeKey.valueOf("dynconfig.principal");
  static final AttributeKey<Source> SOURCE = AttributeKey.valueOf("dynconfig.source");
  static final AttributeKey<Sessions.Session> SESSION = AttributeKey.valueOf("dynconfig.session");

  private final Principals principals;
  private final Sessions sessions;
  private final SignInLimiter limiter;
  private boolean discarding;

  AuthGate(Principals principals, Sessions sessions, SignInLimiter limiter) {
    this.principals = principals;
    this.sessions = sessions;
    this.limiter = limiter;
  }

  /** {@code GET /v1/health} is for load balancers: no credentials (it tells nothing secret). */
  static boolean isHealth(String uri) {
    return uri.equals("/v1/health") || uri.startsWith("/v1/health?");
  }

  /**
   * Only admin requests count towards {@link SignInLimiter}: agents streaming with a read token
   * often share one NAT address, and one misconfigured agent must not lock the others out.
   */
  private static boolean isAdmin(String uri) {
    String path = new QueryStringDecoder(uri).rawPath();
    return path.equals("/v1/admin") || path.startsWith("/v1/admin/");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      ctx.channel().attr(PRINCIPAL).set(null);
      ctx.channel().attr(SESSION).set(null);
      if (ConsoleHandler.isPublic(req.method(), req.uri()) || isHealth(req.uri())) {
        discarding = false;
        ctx.fireChannelRead(msg);
        return;
      }
      String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
      Principal p;
      Source source = Source.API;
      if (authorization != null && isAdmin(req.uri())) {
        String address = SignInLimiter.addressOf(ctx.channel());
        Duration wait = limiter.retryAfter(address);
        if (!wait.isZero()) {
          refuse(ctx, msg, ConsoleHandler.tooManyFailures(wait));
          return;
        }
        p = principals.fromAuthorization(authorization);
        if (p == null) {
          limiter.failed(address, "admin API bearer token");
        } else {
          limiter.succeeded(address);
        }
      } else if (authorization != null) {
        p = principals.fromAuthorization(authorization);
      } else {
        Sessions.Session session = sessions.find(req.headers().get(HttpHeaderNames.COOKIE));
        p = session == null ? null : session.principal();
        source = Source.CONSOLE;
        String problem = session == null ? null : sessionProblem(req, session);
        if (problem != null) {
          refuse(ctx, msg, HttpResponseStatus.FORBIDDEN, problem);
          return;
        }
        ctx.channel().attr(SESSION).set(session);
      }
      if (p == null) {
        refuse(ctx, msg, HttpResponseStatus.UNAUTHORIZED, null);
        return;
      }
      Role needed;
      try {
        needed = Access.required(req.method(), req.uri());
      } catch (IllegalArgumentException badEncoding) {
        refuse(
            ctx,
            msg,
            HttpResponseStatus.BAD_REQUEST,
            "malformed percent-encoding in the request target: " + badEncoding.getMessage());
        return;
      }
      if (!p.role().allows(needed)) {
        refuse(
            ctx,
            msg,
            HttpResponseStatus.FORBIDDEN,
            p.name()
                + " has the role "
                + p.role().wireName()
                + "; "
                + req.method()
                + " on this path needs "
                + needed.wireName());
        return;
      }
      discarding = false;
      ctx.channel().attr(PRINCIPAL).set(p);
      ctx.channel().attr(SOURCE).set(source);
    } else if (discarding && msg instanceof HttpContent) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * A cookie comes with every request the browser makes to this origin, so a write must also prove
   * it comes from the console's own page (the CSRF token it got at sign-in), and a WebSocket
   * upgrade must come from this origin.
   */
  private static String sessionProblem(HttpRequest req, Sessions.Session session) {
    HttpMethod m = req.method();
    boolean safe = m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
    if (!safe && !session.csrfMatches(req.headers().get(ConsoleHandler.CSRF_HEADER))) {
      return "missing or wrong "
          + ConsoleHandler.CSRF_HEADER
          + " header: a signed-in console sends the CSRF token of its session with every write";
    }
    if (req.headers().containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
      String origin = req.headers().get(HttpHeaderNames.ORIGIN);
      String host = req.headers().get(HttpHeaderNames.HOST);
      if (origin == null
          || host == null
          || !(origin.equals("http://" + host) || origin.equals("https://" + host))) {
        return "a WebSocket with a session cookie must come from this server's own page (Origin "
            + origin
            + ")";
      }
    }
    return null;
  }

  private void refuse(
      ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String reason) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            reason == null
                ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(
                    HttpHandler.error(reason).toString().getBytes(StandardCharsets.UTF_8)));
    if (reason != null) {
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    }
    refuse(ctx, msg, res);
  }

  private void refuse(ChannelHandlerContext ctx, Object msg, FullHttpResponse res) {
    discarding = true;
    ReferenceCountUtil.release(msg);
    res.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    res.headers().set(HttpHeaderNames.CONNECTION, "close");
    ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
  }
}
