package dev.dynconfig.internal.source.remote;

import dev.dynconfig.ConnectionStatus;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-shot {@code GET} with {@code If-None-Match} over Netty, on the shared client loop. Netty
 * rather than {@code java.net.http}: the WebSocket client needs Netty anyway, so polling shares its
 * thread, its TLS set-up (trust file, protocols) and its size limits, and the agent does not depend
 * on the {@code java.net.http} module being in the runtime image.
 */
final class HttpFetcher {
  /** A response: status, ETag (or null) and body. */
  record Response(int status, String etag, byte[] body) {}

  private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);

  private final EventLoopGroup loop;
  private final SslContext ssl;
  private final String token;
  private final int maxBytes;
  private final Duration timeout;

  HttpFetcher(EventLoopGroup loop, SslContext ssl, String token, int maxBytes, Duration timeout) {
    this.loop = loop;
    this.ssl = ssl;
    this.token = token;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
  }

  /**
   * The fetcher a starting source polls with: TLS for {@code settings.url()} and the shared client
   * loop, acquired here (the source releases {@link #loop()} when it closes).
   *
   * @return null when TLS cannot be set up (e.g. an unreadable trust file): the reason is logged
   *     and reported on {@code gate} as {@code ERROR}, and the source stays stopped
   */
  static HttpFetcher open(RemoteSettings settings, VersionGate gate) {
    SslContext ssl;
    try {
      ssl = ClientTls.forUrl(settings.url(), settings.trustCertificates());
    } catch (IOException e) {
      log.error("{}", e.getMessage());
      gate.status(ConnectionStatus.ERROR, e.getMessage());
      return null;
    }
    return new HttpFetcher(
        ClientLoop.acquire(),
        ssl,
        settings.token(),
        settings.maxDocumentBytes(),
        settings.requestTimeout());
  }

  /** The shared client loop this fetcher connects on. */
  EventLoopGroup loop() {
    return loop;
  }

  /** TLS for the source's URL, or null for plain http/ws; the WebSocket uses the same. */
  SslContext ssl() {
    return ssl;
  }

  CompletableFuture<Response> get(URI uri, InetSocketAddress address, String ifNoneMatch) {
    return request(HttpMethod.GET, uri, address, ifNoneMatch, null);
  }

  /** {@code POST} of a JSON body (a fleet report). */
  CompletableFuture<Response> post(URI uri, InetSocketAddress address, byte[] json) {
    return request(HttpMethod.POST, uri, address, null, json);
  }

  private CompletableFuture<Response> request(
      HttpMethod method, URI uri, InetSocketAddress address, String ifNoneMatch, byte[] body) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    String host = uri.getHost();
    int port = ClientTls.port(uri);
    ChannelFuture connecting =
        ClientLoop.connect(
            loop,
            ssl,
            host,
            port,
            address,
            timeout,
            pipeline ->
                pipeline
                    .addLast(new ReadTimeoutHandler(timeout.toMillis(), TimeUnit.MILLISECONDS))
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(maxBytes))
                    .addLast(
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                          @Override
                          protected void channelRead0(
                              ChannelHandlerContext ctx, FullHttpResponse res) {
                            result.complete(
                                new Response(
                                    res.status().code(),
                                    res.headers().get(HttpHeaderNames.ETAG),
                                    ByteBufUtil.getBytes(res.content())));
                            ctx.close();
                          }

                          @Override
                          public void channelInactive(ChannelHandlerContext ctx) {
                            result.completeExceptionally(new ClosedChannelException());
                          }

                          @Override
                          public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
                            result.completeExceptionally(t);
                            ctx.close();
                          }
                        }));
    connecting.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(
                new IOException(
                    "cannot connect to " + host + ":" + port + ": " + f.cause(), f.cause()));
            return;
          }
          Channel ch = connecting.channel();
          String path =
              uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
          if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
          }
          FullHttpRequest req =
              body == null
                  ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path)
                  : new DefaultFullHttpRequest(
                      HttpVersion.HTTP_1_1, method, path, Unpooled.wrappedBuffer(body));
          if (body != null) {
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            req.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
          }
          req.headers().set(HttpHeaderNames.HOST, host + ":" + port);
          req.headers().set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON);
          req.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          if (token != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
          }
          if (ifNoneMatch != null) {
            req.headers().set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
          }
          ch.writeAndFlush(req)
              .addListener(
                  w -> {
                    if (!w.isSuccess()) {
                      result.completeExceptionally(w.cause());
                      ch.close();
                    }
                  });
        });
    return result;
  }
}
