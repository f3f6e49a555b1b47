package dev.dynconfig.server;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.internal.source.remote.TlsSuites;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dynconfig server: serves one flag file (or a store shared by several servers) over HTTP
 * ({@code GET /v1/flags}) and WebSocket ({@code /v1/stream}), and changes it through the admin API.
 * See {@code server/PROTOCOL.md}.
 *
 * <pre>{@code
 * try (DynconfigServer s = DynconfigServer.builder().file(path).port(0)
 *     .readToken("r").adminToken("a").build().start()) { ... s.port() ... }
 * }</pre>
 */
public final class DynconfigServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DynconfigServer.class);

  /**
   * Plain HTTP connections: a peer that does not read its responses stops being read after 64 KiB
   * queued (see {@link Backpressure}).
   */
  static final WriteBufferWaterMark HTTP_WATER_MARK =
      new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  /** {@code /v1/stream} connections: whole documents, newest pending snapshot kept beyond 1 MiB. */
  static final WriteBufferWaterMark STREAM_WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final Builder cfg;
  private final Principals principals;
  private final Sessions sessions;
  private final SignInLimiter limiter;
  private final FatalErrors fatal;
  private final WireForms wire = new WireForms();
  private final ConnectionCaps caps;
  private final Map<Channel, StreamHandler> streams = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ServedStore store;
  private volatile FleetRegistry fleet;
  private SslContext ssl;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel serverChannel;

  private DynconfigServer(Builder b) {
    this.cfg = b;
    this.principals = Principals.of(b.readToken, b.adminToken, b.usersJson, b.usersOrigin);
    this.sessions = new Sessions(b.sessionTimeout, b.clock, 10_000);
    this.limiter = new SignInLimiter(b.clock, b.maxFailedSignIns, Duration.ofMinutes(1), 10_000);
    this.fatal = new FatalErrors(b.onFatalError);
    this.caps = new ConnectionCaps(b.maxConnections, b.maxConnectionsPerAddress);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the file and binds the port.
   *
   * @throws IOException when the file cannot be read or written, the TLS files are unusable, or the
   *     port cannot be bound
   * @throws DocumentException when the file is not a valid document
   */
  public DynconfigServer start() throws IOException, DocumentException {
    if (cfg.tlsCert != null || cfg.tlsKey != null) {
      if (cfg.tlsCert == null || cfg.tlsKey == null) {
        throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
      }
      try {
        ssl =
            SslContextBuilder.forServer(cfg.tlsCert.toFile(), cfg.tlsKey.toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(TlsSuites.PROTOCOLS)
                .ciphers(TlsSuites.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .build();
      } catch (Exception e) {
        throw new IOException(
            "Cannot use TLS certificate "
                + cfg.tlsCert
                + " / key "
                + cfg.tlsKey
                + " (PEM, key in PKCS#8 'BEGIN PRIVATE KEY' form): "
                + e.getMessage(),
            e);
      }
    }
    fleet = new FleetRegistry(cfg.clock, cfg.staleAfter);
    store = openStore();
    FatalGuard guard = new FatalGuard(fatal);
    fleet.observe(store.current());
    boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("dynconfig-server-boss", true), NioIoHandler.newFactory());
    workers =
        new MultiThreadIoEventLoopGroup(
            cfg.ioThreads,
            new DefaultThreadFactory("dynconfig-server-io", true),
            NioIoHandler.newFactory());
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(boss, workers)
              .channel(NioServerSocketChannel.class)
              .handler(guard)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, HTTP_WATER_MARK)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ChannelPipeline p = ch.pipeline();
                      p.addLast("fatal", guard);
                      p.addLast("caps", caps);
                      if (ssl != null) {
                        p.addLast("ssl", ssl.newHandler(ch.alloc()));
                      }
                      long idle = cfg.pingInterval.toMillis();
                      p.addLast("idle", new IdleStateHandler(idle, 0, 0, TimeUnit.MILLISECONDS));
                      p.addLast("http", new HttpServerCodec(4096, 8192, 8192));
                      p.addLast("head-timeout", new HeadTimeout(cfg.headTimeout.toMillis()));
                      p.addLast("auth", new AuthGate(principals, sessions, limiter));
                      p.addLast("body", new BodyPolicy(cfg.maxBodyBytes));
                      p.addLast("aggregate", new ClosingAggregator(cfg.maxBodyBytes));
                      p.addLast("backpressure", new Backpressure());
                      p.addLast(
                          "console",
                          new ConsoleHandler(principals, sessions, limiter, ssl != null));
                      p.addLast("handler", new HttpHandler(DynconfigServer.this));
                    }
                  });
      InetSocketAddress addr =
          cfg.host == null
              ? new InetSocketAddress(cfg.port)
              : new InetSocketAddress(cfg.host, cfg.port);
      serverChannel = b.bind(addr).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      close();
      throw new IOException("Cannot listen on " + cfg.host + ":" + cfg.port + ": " + e, e);
    }
    log.info(
        "dynconfig server on {}://{}:{} serving {} (version {})",
        ssl != null ? "https" : "http",
        cfg.host == null ? "*" : cfg.host,
        port(),
        store.describe(),
        store.current().version());
    return this;
  }

  private ServedStore openStore() throws IOException, DocumentException {
    if (cfg.storeUrl == null) {
      return FlagStore.open(
          cfg.file,
          cfg.validator,
          this::broadcast,
          cfg.filePollInterval,
          cfg.historySize,
          cfg.clock,
          fatal);
    }
    try {
      return ExternalStore.open(cfg.storeUrl, cfg.validator, this::broadcast, cfg.clock);
    } catch (IOException | DocumentException | IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** The version currently served. */
  public long version() {
    return store.current().version();
  }

  /** The kind of store, as {@code /v1/health} reports it: {@code file} or {@code postgresql}. */
  public String storeKind() {
    return store.kind();
  }

  /** Whether the store can take writes now ({@code /v1/health} answers 503 when not). */
  public boolean storeAvailable() {
    return store.available();
  }

  /** Number of open {@code /v1/stream} connections. */
  public int streamConnections() {
    return streams.size();
  }

  /**
   * The most bytes queued in the JVM for any one {@code /v1/stream} connection right now (for
   * monitoring and tests). Bounded by the 1 MiB write high-water mark plus one message: a client
   * that does not read is not queued further, it keeps only the newest pending snapshot.
   */
  public long maxPendingStreamBytes() {
    long max = 0;
    for (Channel ch : streams.keySet()) {
      ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
      if (out != null) {
        max = Math.max(max, out.totalPendingWriteBytes());
      }
    }
    return max;
  }

  /** Open connections (all kinds) right now. */
  public int openConnections() {
    return caps.open();
  }

  /** Connections closed on arrival since the start because a connection cap was reached. */
  public int refusedConnections() {
    return caps.refused();
  }

  /**
   * The most bytes queued in the JVM for any one connection right now, of any kind (HTTP responses,
   * pongs, snapshots); for monitoring and tests. Plain HTTP connections stop being read at 64 KiB
   * queued, streams keep only the newest snapshot beyond 1 MiB.
   */
  public long maxPendingBytes() {
    long max = 0;
    for (Channel ch : caps.channels()) {
      ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
      if (out != null) {
        max = Math.max(max, out.totalPendingWriteBytes());
      }
    }
    return max;
  }

  /** Looks at the file for hand edits now instead of waiting for the watcher; for tests. */
  public void checkFileNow() {
    if (store instanceof FlagStore file) {
      file.checkFileNow().join();
    }
  }

  ServedStore store() {
    return store;
  }

  boolean tls() {
    return ssl != null;
  }

  WireForms wire() {
    return wire;
  }

  FatalErrors fatal() {
    return fatal;
  }

  FleetRegistry fleet() {
    return fleet;
  }

  int maxFrameBytes() {
    return cfg.maxFrameBytes;
  }

  void register(Channel ch, StreamHandler handler) {
    streams.put(ch, handler);
    ch.closeFuture().addListener(f -> streams.remove(ch));
  }

  /**
   * Sends {@code s} to every stream client: encoded once into one frame shared by all of them, and
   * one task per event loop (not per connection) that writes it to each of that loop's channels.
   */
  private void broadcast(Snapshot s) {
    FleetRegistry f = fleet;
    if (f != null) {
      f.observe(s);
    }
    Map<EventLoop, List<StreamHandler>> byLoop = new IdentityHashMap<>();
    for (StreamHandler h : streams.values()) {
      byLoop.computeIfAbsent(h.channel().eventLoop(), l -> new ArrayList<>()).add(h);
    }
    if (byLoop.isEmpty()) {
      return;
    }
    ByteBuf frame = StreamHandler.encodeFrame(s);
    try {
      for (Map.Entry<EventLoop, List<StreamHandler>> e : byLoop.entrySet()) {
        List<StreamHandler> handlers = e.getValue();
        frame.retain(); // released by the task, or right here if the loop refuses it
        try {
          e.getKey()
              .execute(
                  fatal.guard(
                      () -> {
                        try {
                          for (StreamHandler h : handlers) {
                            h.send(s, frame);
                          }
                        } finally {
                          frame.release();
                        }
                      },
                      "broadcast of version " + s.version()));
        } catch (RejectedExecutionException shuttingDown) {
          frame.release();
        }
      }
    } finally {
      frame.release();
    }
  }

  /** Stops listening, closes every connection and the store. Idempotent. */
  @Override
  public void close() {
    // A second close (try-with-resources after a shutdown hook, say) must not close the store
    // twice: a store's close is not required to be idempotent.
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    for (Channel ch : streams.keySet()) {
      ch.close();
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Configures a {@link DynconfigServer}. */
  public static final class Builder {
    private Path file;
    private String storeUrl;
    private String host;
    private int port = 8080;
    private String readToken;
    private String adminToken;
    private Path tlsCert;
    private Path tlsKey;
    private int maxBodyBytes = 1 << 20;
    private int maxFrameBytes = 64 * 1024;
    private Duration pingInterval = Duration.ofSeconds(15);
    private Duration filePollInterval = Duration.ofSeconds(1);
    private int ioThreads = 2;
    private int maxConnections = 10_000;
    private int maxConnectionsPerAddress = 1_000;
    private Duration headTimeout = Duration.ofSeconds(10);
    private DocumentValidator validator = DocumentValidator.ENGINE;
    private java.util.function.Consumer<Throwable> onFatalError = FatalErrors.EXIT_PROCESS;
    private String usersJson;
    private String usersOrigin = "users.json";
    private int historySize = 1000;
    private Clock clock = Clock.systemUTC();
    private Duration sessionTimeout = Duration.ofHours(8);
    private int maxFailedSignIns = 5;
    private Duration staleAfter = Duration.ofDays(14);

    private Builder() {}

    /**
     * How long a flag at 0 % or 100 % rollout, or a completed test, stays unchanged before the
     * fleet view lists it as {@code fully-rolled-out}. Default 14 days.
     */
    public Builder staleAfter(Duration staleAfter) {
      this.staleAfter = staleAfter;
      return this;
    }

    /** The flag file: the store. Created (empty native document) when missing. */
    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    /**
     * A store shared with other servers instead of a file, e.g. {@code
     * postgresql://db:5432/dynconfig?user=dynconfig} (password from {@code DYNCONFIG_DB_PASSWORD}
     * or {@code .pgpass}; needs the store's module on the class path, as in {@code dynconfig.jar}).
     */
    public Builder store(String url) {
      this.storeUrl = url;
      return this;
    }

    /** The address to bind (default: all interfaces). */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port (0 = any free port, see {@link DynconfigServer#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder readToken(String token) {
      this.readToken = token;
      return this;
    }

    public Builder adminToken(String token) {
      this.adminToken = token;
      return this;
    }

    /**
     * Named principals: the content of a {@code users.json} ({@code {"users": [{"name", "role",
     * "token": "sha256:..."}]}}, entries printed by {@code hash-token}); {@code origin} names it in
     * error messages. They come in addition to the read and admin tokens.
     */
    public Builder users(String usersJson, String origin) {
      this.usersJson = usersJson;
      this.usersOrigin = origin;
      return this;
    }

    /** How many of the newest changes the history keeps (default 1,000). */
    public Builder historySize(int changes) {
      this.historySize = changes;
      return this;
    }

    /** How long a console session lasts after sign-in (default 8 h). */
    public Builder sessionTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the session timeout must be positive, got " + timeout);
      }
      this.sessionTimeout = timeout;
      return this;
    }

    /**
     * How many wrong tokens (console sign-ins and admin API bearer tokens) one client IP address
     * may send within a minute before it gets {@code 429} for a minute (default 5).
     */
    public Builder maxFailedSignIns(int perMinute) {
      if (perMinute < 1) {
        throw new IllegalArgumentException(
            "maxFailedSignIns must be at least 1 per minute, got " + perMinute);
      }
      this.maxFailedSignIns = perMinute;
      return this;
    }

    /**
     * The clock for history timestamps, session expiry, the sign-in limit and the fleet view
     * (tests).
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** PEM certificate chain and PKCS#8 PEM private key; both or neither. */
    public Builder tls(Path certPem, Path keyPem) {
      this.tlsCert = certPem;
      this.tlsKey = keyPem;
      return this;
    }

    /** Largest accepted request body (admin writes); larger ones get 413. Default 1 MiB. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** Largest WebSocket frame a client may send; larger closes that connection (1009). */
    public Builder maxFrameBytes(int bytes) {
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * A stream client silent for this long is pinged; silent for twice as long, it is closed. Idle
     * plain-HTTP connections are closed after this long. Default 15 s.
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = interval;
      return this;
    }

    /** How often the file is polled for hand edits, besides file-system events. Default 1 s. */
    public Builder filePollInterval(Duration interval) {
      this.filePollInterval = interval;
      return this;
    }

    /** Open connections at most, all clients together; more are closed on arrival. 10,000. */
    public Builder maxConnections(int n) {
      this.maxConnections = n;
      return this;
    }

    /**
     * Open connections at most from one client IP address; more are closed on arrival. Default
     * 1,000 (clients behind one NAT or proxy share an address: raise it for them).
     */
    public Builder maxConnectionsPerAddress(int n) {
      this.maxConnectionsPerAddress = n;
      return this;
    }

    /**
     * A request head must arrive whole within this time of the connection opening or of the
     * previous response, else the connection is closed. Default 10 s.
     */
    public Builder headTimeout(Duration timeout) {
      this.headTimeout = timeout;
      return this;
    }

    public Builder ioThreads(int n) {
      this.ioThreads = n;
      return this;
    }

    /** The document validator; defaults to the engine's parser. */
    public Builder validator(DocumentValidator validator) {
      this.validator = validator;
      return this;
    }

    /**
     * What to do after a {@link VirtualMachineError} (e.g. {@code OutOfMemoryError}) in any server
     * thread, once it is logged. Default: exit the process with code 70, so that a supervisor
     * restarts it rather than keeping a server that no longer answers. Embedding applications and
     * tests may replace it (e.g. to close the server and alert).
     */
    public Builder onFatalError(java.util.function.Consumer<Throwable> action) {
      this.onFatalError = java.util.Objects.requireNonNull(action, "action");
      return this;
    }

    public DynconfigServer build() {
      if ((file == null) == (storeUrl == null)) {
        throw new IllegalArgumentException("give exactly one of --file and --store");
      }
      return new DynconfigServer(this);
    }
  }
}
