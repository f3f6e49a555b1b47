package dev.dynconfig.internal.source.remote;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's entry points into the network sources: {@link #create} for {@code source=remote} /
 * {@code source=websocket}, and {@link #offerCache} for {@code fallback=cache} at start-up.
 */
public final class RemoteSources {
  private RemoteSources() {}

  /**
   * {@code websocket} → {@link WebSocketSource} (polling {@code /v1/flags} while it is down), or
   * with {@code enableWebSocket=false} plain polling of the derived {@code /v1/flags}; {@code
   * remote} → {@link HttpPollingSource}.
   */
  public static ConfigSource create(DynamicConfigOptions options) {
    RemoteSettings s = RemoteSettings.from(options);
    if (options.source() == SourceKind.WEBSOCKET) {
      String scheme = options.url().getScheme();
      boolean ws =
          scheme != null && (scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"));
      if (options.enableWebSocket() && ws) {
        return new WebSocketSource(s, options.urls());
      }
      if (!ws) {
        return new HttpPollingSource(s, options.urls());
      }
      List<URI> flags = options.urls().stream().map(WebSocketSource::flagsUrlFor).toList();
      return new HttpPollingSource(s.withUrl(flags.get(0)), flags);
    }
    if (options.source() == SourceKind.REMOTE) {
      return new HttpPollingSource(s, options.urls());
    }
    throw new IllegalArgumentException("not a network source: " + options.source());
  }

  /** What {@link #offerCache} did, as a sentence for the start-up log. */
  public record CacheOutcome(boolean applied, String message) {}

  /**
   * For {@code fallback=cache} when the server could not be reached in time: offers the offline
   * cache to {@code sink} if it is younger than {@code cacheDuration}. Never throws.
   */
  public static CacheOutcome offerCache(DynamicConfigOptions options, SourceSink sink) {
    Path file =
        options.cacheFile() != null ? options.cacheFile() : OfflineCache.defaultFile(options.url());
    OfflineCache cache = new OfflineCache(file, RedactedUrl.of(options.url()), options.clock());
    Optional<OfflineCache.Entry> e = cache.load();
    if (e.isEmpty()) {
      return new CacheOutcome(
          false, "no usable offline cache at " + file + "; starting on code defaults");
    }
    OfflineCache.Entry entry = e.get();
    Duration age = Duration.between(entry.savedAt(), options.clock().instant());
    if (entry.savedAt().isAfter(options.clock().instant())) {
      return new CacheOutcome(
          false,
          "the offline cache "
              + file
              + " (version "
              + entry.version()
              + ") claims to be saved at "
              + entry.savedAt()
              + ", in the future: treating it as stale; starting on code defaults");
    }
    if (!entry.isFresh(options.clock(), options.cacheDuration())) {
      return new CacheOutcome(
          false,
          "the offline cache "
              + file
              + " (version "
              + entry.version()
              + ") is "
              + age.toSeconds()
              + " s old, older than cacheDuration="
              + options.cacheDuration()
              + "; starting on code defaults");
    }
    SourceSink.OfferResult r;
    try {
      r = sink.offer(entry.content(), entry.version(), "cache:" + file);
    } catch (RuntimeException ex) {
      return new CacheOutcome(false, "the offline cache " + file + " failed to load: " + ex);
    }
    boolean ok = r == SourceSink.OfferResult.APPLIED || r == SourceSink.OfferResult.UNCHANGED;
    return new CacheOutcome(
        ok,
        ok
            ? "serving the offline cache "
                + file
                + " (version "
                + entry.version()
                + ", "
                + age.toSeconds()
                + " s old) until the server answers"
            : "the offline cache "
                + file
                + " was "
                + r.name().toLowerCase(java.util.Locale.ROOT)
                + "; starting on code defaults");
  }
}
