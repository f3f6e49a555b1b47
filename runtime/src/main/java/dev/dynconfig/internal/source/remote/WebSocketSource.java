package dev.dynconfig.internal.source.remote;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code source=websocket}: holds a WebSocket to the server's {@code /v1/stream}, resuming from the
 * version it holds, and offers every snapshot in version order. The server pings; a server silent
 * for {@code readIdleTimeout} counts as gone. Reconnects with {@link Backoff}; after {@code
 * retry.maxAttempts} consecutive failures the status is {@code error} (with the last error) and
 * retries go on at about {@code maxDelay}. While the socket is down, {@code GET /v1/flags} is
 * polled at {@code pollingInterval}. With several servers (replicas sharing one store) every failed
 * attempt or lost connection moves on to the next one; versions are global, so the gate keeps them
 * increasing across servers.
 */
public final class WebSocketSource implements ConfigSource {
  private static final Logger log = LoggerFactory.getLogger(WebSocketSource.class);

  private final RemoteSettings settings;
  private final Endpoints endpoints;
  private final java.util.List<URI> flagsUrls;
  private final Backoff backoff;
  private EventLoopGroup group;
  private EventLoop loop;
  private SslContext ssl;
  private VersionGate gate;
  // Event loop: connections in a row whose first snapshot was below our version.
  private int behindStreak;
  private Poller fallback;
  private HttpFetcher fetcher;
  // Event-loop confined:
  private Channel channel;
  private ScheduledFuture<?> reconnect;
  private boolean hadDocumentOrConnection;
  private ReportSender reports;
  private volatile boolean closed;
  private final CacheFallback cacheFallback;

  public WebSocketSource(RemoteSettings settings) {
    this(settings, java.util.List.of(settings.url()));
  }

  /**
   * Streams from one of {@code servers} ({@code ws(s)://…/v1/stream}, equivalent replicas; {@code
   * settings.url()} supplies TLS and the cache), moving to the next after a failure.
   */
  public WebSocketSource(RemoteSettings settings, java.util.List<URI> servers) {
    this(settings, servers, null);
  }

  /** As {@link #WebSocketSource(RemoteSettings, java.util.List)}, with a start-up fallback. */
  WebSocketSource(RemoteSettings settings, java.util.List<URI> servers, CacheFallback fallback) {
    this.cacheFallback = fallback;
    this.settings = settings;
    this.endpoints = new Endpoints(servers);
    this.flagsUrls = servers.stream().map(WebSocketSource::flagsUrlFor).toList();
    this.backoff = new Backoff(settings.retry());
  }

  /** The offline cache the options name, if fresh; null when created without one. */
  @Override
  public String offerFallback(SourceSink sink) {
    return cacheFallback == null ? null : cacheFallback.offer(sink);
  }

  /** {@code ws://h/x/v1/stream} → {@code http://h/x/v1/flags}. */
  static URI flagsUrlFor(URI ws) {
    String scheme = ws.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
    String path = ws.getPath() == null ? "" : ws.getPath();
    path = path.endsWith("/stream") ? path.substring(0, path.length() - 7) + "/flags" : "/v1/flags";
    try {
      return new URI(scheme, ws.getUserInfo(), ws.getHost(), ws.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot derive the polling URL from " + ws, e);
    }
  }

  @Override
  public synchronized void start(SourceSink sink) {
    if (gate != null || closed) {
      return;
    }
    gate = new VersionGate(sink, settings.cache());
    fetcher = HttpFetcher.open(settings, gate);
    if (fetcher == null) {
      return;
    }
    group = fetcher.loop();
    ssl = fetcher.ssl();
    loop = group.next();
    reports =
        new ReportSender(
            loop, gate::resumeVersion, () -> "CONNECTED", String.valueOf(settings.url()));
    fallback =
        new Poller(
            loop,
            fetcher,
            new Endpoints(flagsUrls),
            gate,
            settings.pollingInterval(),
            settings.retry(),
            false);
    loop.execute(this::connect);
  }

  private URI streamUri() {
    long held = gate.resumeVersion();
    URI u = endpoints.url();
    String q = u.getRawQuery();
    String extra = "version=" + held;
    String query = q == null || q.isEmpty() ? extra : q + "&" + extra;
    return URI.create(
        u.getScheme()
            + "://"
            + u.getRawAuthority()
            + (u.getRawPath() == null ? "" : u.getRawPath())
            + "?"
            + query);
  }

  /** Event loop: one connection attempt. */
  private void connect() {
    reconnect = null;
    if (closed || channel != null) {
      return;
    }
    if (!backoff.exhausted()) {
      gate.status(ConnectionStatus.CONNECTING, null);
    }
    URI uri = streamUri();
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    if (settings.token() != null) {
      headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + settings.token());
    }
    WebSocketClientProtocolConfig cfg =
        WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(uri)
            .version(WebSocketVersion.V13)
            .customHeaders(headers)
            .maxFramePayloadLength(settings.maxDocumentBytes())
            .handshakeTimeoutMillis(settings.requestTimeout().toMillis())
            .handleCloseFrames(false) // StreamConnection reads the status (1003: no reports)
            .dropPongFrames(true)
            .build();
    String host = uri.getHost();
    int port = ClientTls.port(uri);
    java.net.InetSocketAddress address = endpoints.address();
    StreamConnection conn = new StreamConnection(this, reports, settings.readIdleTimeout());
    ChannelFuture f =
        ClientLoop.connect(
            loop,
            ssl,
            host,
            port,
            address,
            settings.requestTimeout(),
            pipeline ->
                pipeline
                    .addLast(
                        new IdleStateHandler(
                            settings.readIdleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
                    .addLast(new HttpClientCodec())
                    .addLast(new HttpObjectAggregator(64 * 1024))
                    .addLast(new WebSocketClientProtocolHandler(cfg))
                    .addLast(new WebSocketFrameAggregator(settings.maxDocumentBytes()))
                    .addLast(conn));
    channel = f.channel();
    f.addListener(
        done -> {
          if (!done.isSuccess()) {
            disconnected(
                f.channel(),
                "cannot connect to "
                    + host
                    + ":"
                    + port
                    + (address.isUnresolved()
                        ? ""
                        : " (" + address.getAddress().getHostAddress() + ")")
                    + ": "
                    + Poller.rootMessage(done.cause()),
                false);
          }
        });
  }

  /** Event loop: the handshake succeeded. */
  void connected(Channel ch) {
    if (ch != channel) {
      return;
    }
    // No backoff.reset() here: a server that completes the handshake and then sends garbage would
    // otherwise be hammered at baseDelay forever. The reset happens when a session ends cleanly.
    hadDocumentOrConnection = true;
    fallback.stop();
    gate.status(ConnectionStatus.CONNECTED, null);
    log.debug("Connected to {}", endpoints);
    if (!reports.refused()) {
      reports.start(message -> sendReport(ch, message));
    }
  }

  /**
   * Event loop: this attempt or connection is over; schedule the next one. {@code cleanSession}:
   * the handshake completed and the server broke no rule (no malformed message, no oversized or
   * invalid frame), so the failure streak starts over.
   */
  void disconnected(Channel ch, String reason, boolean cleanSession) {
    if (ch != channel) {
      return;
    }
    channel = null;
    reports.stop();
    if (closed) {
      return;
    }
    if (cleanSession) {
      backoff.reset();
    }
    String lost = endpoints.toString();
    endpoints.next(); // the next attempt goes to the next server, if there are several
    Duration delay = backoff.nextDelay();
    boolean error = backoff.exhausted();
    gate.status(error ? ConnectionStatus.ERROR : ConnectionStatus.DISCONNECTED, reason);
    if (error) {
      log.warn(
          "{} unreachable ({} attempts): {}; retrying in {} ms",
          lost,
          backoff.failures(),
          reason,
          delay.toMillis());
    } else {
      log.info(
          "{}: {}; reconnecting{} in {} ms",
          lost,
          reason,
          endpoints.size() > 1 ? " to " + RedactedUrl.of(endpoints.url()) : "",
          delay.toMillis());
    }
    // Poll while down; right away when nothing was ever received (e.g. a proxy refusing upgrades).
    fallback.start(
        hadDocumentOrConnection || gate.resumeVersion() >= 0
            ? settings.pollingInterval()
            : Duration.ZERO);
    reconnect = loop.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Event loop: one {@code report} message on the connection {@code ch}. */
  private java.util.concurrent.CompletableFuture<Boolean> sendReport(Channel ch, byte[] message) {
    java.util.concurrent.CompletableFuture<Boolean> done =
        new java.util.concurrent.CompletableFuture<>();
    if (ch != channel || !ch.isActive()) {
      done.complete(false);
      return done;
    }
    StreamConnection conn = ch.pipeline().get(StreamConnection.class);
    if (conn != null) {
      conn.reportSent();
    }
    ch.writeAndFlush(new TextWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(message)))
        .addListener(f -> done.complete(f.isSuccess()));
    return done;
  }

  /**
   * Event loop: a snapshot from the server ({@code first} on its connection). Returns why to close
   * and reconnect, or null.
   */
  String snapshot(long version, byte[] document, boolean first) {
    long held = gate.resumeVersion();
    if (first && version < held) {
      return serverBehind(version, held);
    }
    SourceSink.OfferResult r = gate.offer(document, version, shown());
    if (r == SourceSink.OfferResult.APPLIED && behindStreak > 0) {
      behindStreak = 0;
      gate.status(ConnectionStatus.CONNECTED, null);
    }
    return null;
  }

  /**
   * The server's current version (its first snapshot on this connection) is below ours: its file
   * was restored from a backup or it lost its state, and every change it makes up to our version
   * would be ignored. Reconnect once (the returned reason), announcing our version, which a
   * dynconfig server answers by moving above it; if it stays below, keep the connection, report the
   * problem in the status and apply only versions above ours.
   */
  private String serverBehind(long version, long held) {
    String what =
        "the server is at version "
            + version
            + ", below version "
            + held
            + " that this client already holds (was its file restored from a backup?)";
    behindStreak++;
    if (behindStreak == 1) {
      String problem = what + "; reconnecting with ?version=" + held + " so that it moves above it";
      log.warn("{}: {}", shown(), problem);
      return problem;
    }
    String still = what + " even after reconnecting; keeping " + held + " until it passes it";
    if (behindStreak == 2) {
      log.warn("{}: {}", shown(), still);
    }
    gate.status(ConnectionStatus.ERROR, still);
    return null;
  }

  @Override
  public void refresh() {
    HttpFetcher f;
    synchronized (this) {
      f = fetcher;
    }
    if (f == null || closed) {
      return;
    }
    var done = fallback.pollOnce();
    if (loop.inEventLoop()) {
      return; // called from our own thread: waiting would deadlock
    }
    try {
      done.get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("refresh of {} failed: {}", flagsUrls, Poller.rootMessage(e));
    }
  }

  /** The server connected to now, as it may be logged (secrets redacted). */
  String shown() {
    return RedactedUrl.of(endpoints.url());
  }

  @Override
  public String describe() {
    return "websocket:" + shown();
  }

  @Override
  public void close() {
    EventLoopGroup g;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      g = group;
    }
    if (g == null) {
      return;
    }
    fallback.stop();
    try {
      loop.submit(
              () -> {
                if (reconnect != null) {
                  reconnect.cancel(false);
                }
                if (channel != null) {
                  channel.close();
                }
              })
          .await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ClientLoop.release(g);
    gate.flushCache();
  }
}
