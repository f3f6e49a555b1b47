package dev.dynconfig.internal.source.remote;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.RetryOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings shared by the network sources. Built from {@link DynamicConfigOptions} by {@link
 * #from(DynamicConfigOptions)}, or by hand for tests and embedding.
 *
 * @param url the server URL ({@code ws(s)://…/v1/stream} or {@code http(s)://…/v1/flags})
 * @param token the read token, or null
 * @param pollingInterval how often to poll (alone, or while the WebSocket is down)
 * @param retry reconnect policy
 * @param cache where accepted documents are saved, or null for none
 * @param trustCertificates PEM certificates to trust for TLS, or null for the JVM's trust store
 * @param maxDocumentBytes the largest document (HTTP body or WebSocket message) accepted
 * @param requestTimeout connect / HTTP request / WebSocket handshake timeout
 * @param readIdleTimeout a WebSocket with no data and no ping for this long counts as dead
 */
public record RemoteSettings(
    URI url,
    String token,
    Duration pollingInterval,
    RetryOptions retry,
    OfflineCache cache,
    Path trustCertificates,
    int maxDocumentBytes,
    Duration requestTimeout,
    Duration readIdleTimeout) {

  public static final int DEFAULT_MAX_DOCUMENT_BYTES = 16 << 20;

  public RemoteSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(pollingInterval, "pollingInterval");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
  }

  /** Defaults for everything but the URL and token: 60 s polling, 10 s timeouts, 45 s idle. */
  public static RemoteSettings of(URI url, String token) {
    return new RemoteSettings(
        url,
        token,
        Duration.ofSeconds(60),
        RetryOptions.DEFAULT,
        null,
        null,
        DEFAULT_MAX_DOCUMENT_BYTES,
        Duration.ofSeconds(10),
        Duration.ofSeconds(45));
  }

  /**
   * From the engine's options; the cache file is {@code options.cacheFile()} or the default per-URL
   * file. The trust file comes from the system property {@code dynconfig.tls.trustCertificates}
   * (else the JVM's trust store applies).
   */
  public static RemoteSettings from(DynamicConfigOptions options) {
    URI url = options.url();
    Path cacheFile =
        options.cacheFile() != null ? options.cacheFile() : OfflineCache.defaultFile(url);
    String trust = System.getProperty("dynconfig.tls.trustCertificates");
    return of(url, options.token())
        .withPollingInterval(options.pollingInterval())
        .withRetry(options.retry())
        .withCache(new OfflineCache(cacheFile, RedactedUrl.of(url), options.clock()))
        .withTrustCertificates(trust == null || trust.isBlank() ? null : Path.of(trust));
  }

  public RemoteSettings withUrl(URI u) {
    return new RemoteSettings(
        u,
        token,
        pollingInterval,
        retry,
        cache,
        trustCertificates,
        maxDocumentBytes,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withPollingInterval(Duration d) {
    return new RemoteSettings(
        url,
        token,
        d,
        retry,
        cache,
        trustCertificates,
        maxDocumentBytes,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withRetry(RetryOptions r) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        r,
        cache,
        trustCertificates,
        maxDocumentBytes,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withCache(OfflineCache c) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        retry,
        c,
        trustCertificates,
        maxDocumentBytes,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withTrustCertificates(Path pem) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        retry,
        cache,
        pem,
        maxDocumentBytes,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withMaxDocumentBytes(int n) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        retry,
        cache,
        trustCertificates,
        n,
        requestTimeout,
        readIdleTimeout);
  }

  public RemoteSettings withRequestTimeout(Duration d) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        retry,
        cache,
        trustCertificates,
        maxDocumentBytes,
        d,
        readIdleTimeout);
  }

  public RemoteSettings withReadIdleTimeout(Duration d) {
    return new RemoteSettings(
        url,
        token,
        pollingInterval,
        retry,
        cache,
        trustCertificates,
        maxDocumentBytes,
        requestTimeout,
        d);
  }

  @Override
  public String toString() {
    return "RemoteSettings{url="
        + RedactedUrl.of(url)
        + ", token="
        + (token == null ? "none" : "***")
        + ", pollingInterval="
        + pollingInterval
        + ", retry="
        + retry
        + "}";
  }
}
