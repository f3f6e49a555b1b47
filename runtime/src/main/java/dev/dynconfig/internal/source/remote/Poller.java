package dev.dynconfig.internal.source.remote;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/flags} with {@code If-None-Match} every {@code interval}, backing off (never
 * beyond the interval) after failures, and moving to the next server (if there are several) after
 * each failure. Runs on the client loop; used alone by {@link HttpPollingSource} and as the
 * fallback of {@link WebSocketSource} (which then owns the status).
 */
final class Poller {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private final EventLoop loop;
  private final HttpFetcher fetcher;
  private final Endpoints endpoints;
  private final VersionGate gate;
  private final Duration interval;
  private final Backoff backoff;
  private final boolean reportStatus;
  private volatile boolean running;
  private ScheduledFuture<?> next;
  private volatile Duration failureDelay = Duration.ZERO;
  // The version of the last below-ours answer warned about (one WARN per episode, not per poll).
  private volatile long lastBehind = -1;

  Poller(
      EventLoop loop,
      HttpFetcher fetcher,
      Endpoints endpoints,
      VersionGate gate,
      Duration interval,
      RetryOptions retry,
      boolean reportStatus) {
    this.loop = loop;
    this.fetcher = fetcher;
    this.endpoints = endpoints;
    this.gate = gate;
    this.interval = interval;
    this.backoff = new Backoff(retry);
    this.reportStatus = reportStatus;
  }

  /** Starts polling after {@code initialDelay}. */
  void start(Duration initialDelay) {
    loop.execute(
        () -> {
          if (running) {
            return;
          }
          running = true;
          schedule(initialDelay);
        });
  }

  void stop() {
    loop.execute(
        () -> {
          running = false;
          if (next != null) {
            next.cancel(false);
            next = null;
          }
        });
  }

  private void schedule(Duration delay) {
    if (!running) {
      return;
    }
    next = loop.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (!running) {
      return;
    }
    pollOnce()
        .whenComplete(
            (ok, err) ->
                loop.execute(
                    () -> {
                      if (err == null) {
                        schedule(interval);
                      } else {
                        Duration d = failureDelay;
                        schedule(d.compareTo(interval) < 0 ? d : interval);
                      }
                    }));
  }

  /** One poll; completes exceptionally on failure (already reported). */
  CompletableFuture<Void> pollOnce() {
    long held = gate.resumeVersion();
    String inm = held >= 0 ? "\"" + held + "\"" : null;
    var url = endpoints.url();
    String shownUrl = RedactedUrl.of(url);
    return fetcher
        .get(url, endpoints.address(), inm)
        .handle(
            (res, err) -> {
              String problem = null;
              if (err != null) {
                problem = "GET " + shownUrl + " failed: " + rootMessage(err);
              } else if (res.status() == 200) {
                problem = offer(res, held, shownUrl);
              } else if (res.status() == 401) {
                problem =
                    "GET " + shownUrl + ": 401, the server refused the token (option 'token')";
              } else if (res.status() != 304) {
                problem = "GET " + shownUrl + ": unexpected HTTP " + res.status();
              }
              if (problem == null) {
                backoff.reset();
                if (reportStatus) {
                  gate.status(ConnectionStatus.CONNECTED, null);
                }
                return null;
              }
              log.debug("{}", problem);
              endpoints.next();
              failureDelay = backoff.nextDelay();
              if (reportStatus) {
                gate.status(
                    backoff.exhausted() ? ConnectionStatus.ERROR : ConnectionStatus.DISCONNECTED,
                    problem);
              }
              throw new java.util.concurrent.CompletionException(new java.io.IOException(problem));
            });
  }

  /**
   * Offers a {@code 200} answer, versioned by the document itself (the ETag only when the document
   * carries no version). Returns a problem when the server serves a version below {@code held}.
   */
  private String offer(HttpFetcher.Response res, long held, String shownUrl) {
    String origin = shownUrl;
    long version = DocumentVersions.of(res.body(), origin);
    long etag = parseEtag(res.etag());
    if (version == DocumentVersions.NONE) {
      version = etag;
    } else if (etag >= 0 && etag != version) {
      log.debug("{}: ETag {} differs from the document's version {}", origin, etag, version);
    }
    if (version >= 0 && version < held) {
      String problem =
          "GET "
              + shownUrl
              + " serves version "
              + version
              + ", below version "
              + held
              + " that this client already holds (was the server's file restored from a backup?);"
              + " keeping "
              + held
              + " and asking the server to move above it";
      if (version != lastBehind) {
        lastBehind = version;
        log.warn("{}", problem);
      }
      return problem;
    }
    lastBehind = -1;
    gate.offer(res.body(), version, origin);
    return null;
  }

  /** {@code "12"} → 12; anything else → -1 (the document's own version is used then). */
  static long parseEtag(String etag) {
    if (etag == null) {
      return -1;
    }
    String t = etag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getMessage() != null ? c.getMessage() : c.toString();
  }
}
