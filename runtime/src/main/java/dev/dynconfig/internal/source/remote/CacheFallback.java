package dev.dynconfig.internal.source.remote;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * What a network source falls back on at start-up ({@code fallback=cache}) when its server could
 * not be reached in time: the offline cache, if it is younger than {@code cacheDuration}.
 */
final class CacheFallback {
  private final Path file;
  private final OfflineCache cache;
  private final Clock clock;
  private final Duration maxAge;

  CacheFallback(DynamicConfigOptions options) {
    this.file =
        options.cacheFile() != null ? options.cacheFile() : OfflineCache.defaultFile(options.url());
    this.cache = new OfflineCache(file, RedactedUrl.of(options.url()), options.clock());
    this.clock = options.clock();
    this.maxAge = options.cacheDuration();
  }

  /** Offers the cache to {@code sink} if it is fresh; says what happened, for the log. */
  String offer(SourceSink sink) {
    return outcome(sink) + "; the live document is applied as soon as the server answers.";
  }

  private String outcome(SourceSink sink) {
    Optional<OfflineCache.Entry> e = cache.load();
    if (e.isEmpty()) {
      return "no usable offline cache at " + file + "; starting on code defaults";
    }
    OfflineCache.Entry entry = e.get();
    Duration age = Duration.between(entry.savedAt(), clock.instant());
    if (entry.savedAt().isAfter(clock.instant())) {
      return "the offline cache "
          + file
          + " (version "
          + entry.version()
          + ") claims to be saved at "
          + entry.savedAt()
          + ", in the future: treating it as stale; starting on code defaults";
    }
    if (!entry.isFresh(clock, maxAge)) {
      return "the offline cache "
          + file
          + " (version "
          + entry.version()
          + ") is "
          + age.toSeconds()
          + " s old, older than cacheDuration="
          + maxAge
          + "; starting on code defaults";
    }
    SourceSink.OfferResult r;
    try {
      r = sink.offer(entry.content(), entry.version(), "cache:" + file);
    } catch (RuntimeException ex) {
      return "the offline cache " + file + " failed to load: " + ex;
    }
    boolean ok = r == SourceSink.OfferResult.APPLIED || r == SourceSink.OfferResult.UNCHANGED;
    return ok
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
            + "; starting on code defaults";
  }
}
