package dev.dynconfig.internal.source.remote;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code source=remote}: polls {@code GET /v1/flags} with {@code If-None-Match} every {@code
 * pollingInterval}; a changed document is offered to the engine (never one older than already
 * offered) and saved to the offline cache once applied.
 */
public final class HttpPollingSource implements ConfigSource {
  private final RemoteSettings settings;
  private final java.util.List<java.net.URI> servers;
  private final CacheFallback cacheFallback;
  private EventLoopGroup loop;
  private Poller poller;
  private VersionGate gate;
  private boolean closed;

  public HttpPollingSource(RemoteSettings settings) {
    this(settings, java.util.List.of(settings.url()));
  }

  /**
   * Polls one of {@code servers} (equivalent replicas; {@code settings.url()} supplies TLS and the
   * cache), moving to the next after a failure.
   */
  public HttpPollingSource(RemoteSettings settings, java.util.List<java.net.URI> servers) {
    this(settings, servers, null);
  }

  /** As {@link #HttpPollingSource(RemoteSettings, java.util.List)}, with a start-up fallback. */
  HttpPollingSource(
      RemoteSettings settings, java.util.List<java.net.URI> servers, CacheFallback fallback) {
    this.settings = settings;
    this.servers = servers;
    this.cacheFallback = fallback;
  }

  /** The offline cache the options name, if fresh; null when created without one. */
  @Override
  public String offerFallback(SourceSink sink) {
    return cacheFallback == null ? null : cacheFallback.offer(sink);
  }

  @Override
  public synchronized void start(SourceSink sink) {
    if (poller != null || closed) {
      return;
    }
    gate = new VersionGate(sink, settings.cache());
    HttpFetcher fetcher = HttpFetcher.open(settings, gate);
    if (fetcher == null) {
      return;
    }
    loop = fetcher.loop();
    poller =
        new Poller(
            loop.next(),
            fetcher,
            new Endpoints(servers),
            gate,
            settings.pollingInterval(),
            settings.retry(),
            true);
    gate.status(ConnectionStatus.CONNECTING, null);
    poller.start(Duration.ZERO);
    startReports(fetcher, loop.next());
  }

  /** Fleet reports by {@code POST /v1/report} (PROTOCOL.md), beside the polling. */
  private void startReports(HttpFetcher fetcher, io.netty.channel.EventLoop reportLoop) {
    Endpoints endpoints =
        new Endpoints(servers.stream().map(HttpPollingSource::reportUrlFor).toList());
    ReportSender sender =
        new ReportSender(
            reportLoop,
            gate::resumeVersion,
            () -> String.valueOf(gate.status()),
            String.valueOf(endpoints));
    reportLoop.execute(
        () ->
            sender.start(
                message ->
                    fetcher
                        .post(endpoints.url(), endpoints.address(), message)
                        .handle(
                            (res, failure) -> {
                              if (res == null) {
                                reportLoop.execute(endpoints::next); // try another server
                              } else if (res.status() == 404 || res.status() == 405) {
                                reportLoop.execute(sender::refuse); // an older server
                              }
                              return res != null && res.status() / 100 == 2;
                            })));
  }

  /** {@code http://h/x/v1/flags} → {@code http://h/x/v1/report}. */
  static java.net.URI reportUrlFor(java.net.URI flags) {
    String path = flags.getPath() == null ? "" : flags.getPath();
    path =
        path.endsWith("/flags") ? path.substring(0, path.length() - 6) + "/report" : "/v1/report";
    return flags.resolve(path);
  }

  @Override
  public void refresh() {
    Poller p;
    synchronized (this) {
      p = poller;
    }
    if (p == null) {
      return;
    }
    if (loop.next().inEventLoop()) {
      p.pollOnce(); // called from a callback on our own thread: waiting would deadlock
      return;
    }
    try {
      p.pollOnce().get(settings.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Already reported through the sink's status.
    }
  }

  @Override
  public String describe() {
    return "remote:" + RedactedUrl.of(settings.url());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (poller != null) {
      poller.stop();
      ClientLoop.release(loop);
    }
    if (gate != null) {
      gate.flushCache();
    }
  }
}
