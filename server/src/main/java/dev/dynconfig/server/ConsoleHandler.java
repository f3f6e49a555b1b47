package dev.dynconfig.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's routes: its static files under {@code /console/} ({@code GET /} redirects
 * there) and {@code /v1/session} (sign in with a token, who am I, sign out). Everything else goes
 * on to {@link HttpHandler}. Every page response carries a strict Content-Security-Policy (no
 * inline script or style), {@code nosniff}, {@code no-referrer} and {@code frame-ancestors 'none'}.
 */
final class ConsoleHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  private static final String RESOURCES = "/dev/dynconfig/server/console/";
  private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9-]+\\.(html|css|js|png)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "png", "image/png");
  private static final int MAX_SIGN_IN_BYTES = 4096;
  private static final Map<String, Optional<byte[]>> FILES = new ConcurrentHashMap<>();

  private final Principals principals;
  private final Sessions sessions;
  private final SignInLimiter limiter;
  private final boolean tls;

  ConsoleHandler(Principals principals, Sessions sessions, SignInLimiter limiter, boolean tls) {
    super(false);
    this.principals = principals;
    this.sessions = sessions;
    this.limiter = limiter;
    this.tls = tls;
  }

  /** Reachable without a token: the console's files, and signing in. */
  static boolean isPublic(HttpMethod method, String uri) {
    String path = new QueryStringDecoder(uri).rawPath();
    if (path.equals("/v1/session")) {
      return method.equals(HttpMethod.POST);
    }
    boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
    return read && (path.equals("/") || path.equals("/console") || path.startsWith("/console/"));
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = new QueryStringDecoder(req.uri()).rawPath();
    boolean ours =
        path.equals("/")
            || path.equals("/console")
            || path.startsWith("/console/")
            || path.equals("/v1/session");
    if (!ours || !req.decoderResult().isSuccess()) {
      ctx.fireChannelRead(req);
      return;
    }
    try {
      if (path.equals("/v1/session")) {
        session(ctx, req);
      } else if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
        HttpHandler.respond(
            ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, HttpHandler.error("use GET"));
      } else if (path.equals("/") || path.equals("/console")) {
        FullHttpResponse res =
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
        res.headers().set(HttpHeaderNames.LOCATION, "/console/");
        secure(res.headers());
        HttpHandler.send(ctx, req, res);
      } else {
        file(ctx, req, path.substring("/console/".length()));
      }
    } finally {
      req.release();
    }
  }

  private void file(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
    if (name.isEmpty()) {
      name = "index.html";
    }
    byte[] bytes = FILE_NAME.matcher(name).matches() ? load(name).orElse(null) : null;
    if (bytes == null) {
      HttpHandler.respond(
          ctx, req, HttpResponseStatus.NOT_FOUND, HttpHandler.error("no console file " + name));
      return;
    }
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(bytes)); // the codec drops the body of a HEAD answer
    res.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(name.substring(name.indexOf('.') + 1)));
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    secure(res.headers());
    HttpHandler.send(ctx, req, res);
  }

  private static Optional<byte[]> load(String name) {
    return FILES.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = ConsoleHandler.class.getResourceAsStream(RESOURCES + n)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
          } catch (IOException e) {
            return Optional.empty();
          }
        });
  }

  static void secure(HttpHeaders h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Frame-Options", "DENY");
  }

  private void session(ChannelHandlerContext ctx, FullHttpRequest req) {
    HttpMethod m = req.method();
    if (m.equals(HttpMethod.POST)) {
      signIn(ctx, req);
    } else if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
      Principal p = ctx.channel().attr(AuthGate.PRINCIPAL).get();
      Sessions.Session s = ctx.channel().attr(AuthGate.SESSION).get();
      HttpHandler.respond(ctx, req, HttpResponseStatus.OK, describe(p, s));
    } else if (m.equals(HttpMethod.DELETE)) {
      sessions.end(req.headers().get(HttpHeaderNames.COOKIE));
      FullHttpResponse res = json(HttpResponseStatus.OK, JsonNodeFactory.instance.objectNode());
      res.headers().add(HttpHeaderNames.SET_COOKIE, cookie("", 0));
      HttpHandler.send(ctx, req, res);
    } else {
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.METHOD_NOT_ALLOWED,
          HttpHandler.error("use POST, GET or DELETE"));
    }
  }

  private void signIn(ChannelHandlerContext ctx, FullHttpRequest req) {
    String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      // A cross-site form cannot send JSON without a CORS preflight this server never grants.
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          HttpHandler.error(
              "sign in with Content-Type: application/json and {\"token\": \"...\"}"));
      return;
    }
    if (req.content().readableBytes() > MAX_SIGN_IN_BYTES) {
      HttpHandler.respond(
          ctx, req, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, HttpHandler.error("too large"));
      return;
    }
    String address = SignInLimiter.addressOf(ctx.channel());
    Duration wait = limiter.retryAfter(address);
    if (!wait.isZero()) {
      HttpHandler.send(ctx, req, tooManyFailures(wait));
      return;
    }
    String token = null;
    try {
      JsonNode body = FlagStore.MAPPER.readTree(req.content().toString(StandardCharsets.UTF_8));
      token = body == null ? null : body.path("token").asText(null);
    } catch (IOException e) {
      // answered below
    }
    Principal p = token == null ? null : principals.authenticate(token);
    if (p == null) {
      if (token != null) { // a body without a token guesses nothing
        limiter.failed(address, "console sign-in");
      }
      HttpHandler.respond(
          ctx,
          req,
          HttpResponseStatus.UNAUTHORIZED,
          HttpHandler.error("unknown token: sign in with a token from users.json or --read-token"));
      return;
    }
    limiter.succeeded(address);
    Map.Entry<String, Sessions.Session> started = sessions.start(p);
    FullHttpResponse res = json(HttpResponseStatus.OK, describe(p, started.getValue()));
    res.headers()
        .add(HttpHeaderNames.SET_COOKIE, cookie(started.getKey(), sessions.timeout().toSeconds()));
    HttpHandler.send(ctx, req, res);
  }

  /** {@code 429} with {@code Retry-After} in whole seconds, rounded up. */
  static FullHttpResponse tooManyFailures(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    FullHttpResponse res =
        json(
            HttpResponseStatus.TOO_MANY_REQUESTS,
            HttpHandler.error(
                "too many failed sign-ins from this address: try again in " + seconds + " s"));
    res.headers().set(HttpHeaderNames.RETRY_AFTER, seconds);
    return res;
  }

  private String cookie(String value, long maxAgeSeconds) {
    DefaultCookie c = new DefaultCookie(Sessions.COOKIE, value);
    c.setHttpOnly(true);
    c.setSecure(tls);
    c.setPath("/");
    c.setSameSite(CookieHeaderNames.SameSite.Strict);
    c.setMaxAge(maxAgeSeconds);
    return ServerCookieEncoder.STRICT.encode(c);
  }

  private static ObjectNode describe(Principal p, Sessions.Session s) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("principal", p.name());
    n.put("role", p.role().wireName());
    if (s != null) {
      n.put("csrf", s.csrf());
      n.put("expiresAt", s.expiresAt().toString());
    }
    return n;
  }

  private static FullHttpResponse json(HttpResponseStatus status, ObjectNode body) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.wrappedBuffer(body.toString().getBytes(StandardCharsets.UTF_8)));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return res;
  }
}
