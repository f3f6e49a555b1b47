package dev.dynconfig.internal.source.remote;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.internal.document.Document;
import dev.dynconfig.internal.source.SourceSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the engine's sink for one remote source: a document is offered only when its version is
 * above every version offered before (the WebSocket and the polling fallback may both deliver the
 * same one, and a restarted or confused server may send an older one), and every applied document
 * goes to the offline cache.
 */
final class VersionGate {
  private static final Logger log = LoggerFactory.getLogger(VersionGate.class);

  private final SourceSink sink;
  private final OfflineCache cache;
  private long lastOffered = -1;
  private ConnectionStatus lastStatus;
  private String lastError;

  VersionGate(SourceSink sink, OfflineCache cache) {
    this.sink = sink;
    this.cache = cache;
  }

  /** The version to resume from: the newest we hold or have already seen. */
  synchronized long resumeVersion() {
    return Math.max(lastOffered, sink.currentVersion());
  }

  synchronized SourceSink.OfferResult offer(byte[] content, long version, String origin) {
    if (version > Document.MAX_VERSION) {
      // A version no server publishes: taking it would freeze this client (nothing is above it).
      log.warn(
          "Rejected the document from {}: its version {} is above the limit 2^53 ({}); keeping"
              + " version {}",
          origin,
          version,
          Document.MAX_VERSION,
          sink.currentVersion());
      return SourceSink.OfferResult.REJECTED;
    }
    long held = Math.max(lastOffered, sink.currentVersion());
    if (version >= 0 && version <= held) {
      if (version < held) {
        log.debug("Ignoring version {} from {}: already at {}", version, origin, held);
      }
      return version == held ? SourceSink.OfferResult.UNCHANGED : SourceSink.OfferResult.STALE;
    }
    lastOffered = Math.max(lastOffered, version);
    SourceSink.OfferResult r;
    try {
      r = sink.offer(content, version, origin);
    } catch (RuntimeException e) {
      log.warn("The engine failed on version {} from {}", version, origin, e);
      return SourceSink.OfferResult.REJECTED;
    }
    if (r == SourceSink.OfferResult.APPLIED && cache != null) {
      cache.save(content, version);
    }
    return r;
  }

  /** Writes the newest applied document to the offline cache now (on close). */
  void flushCache() {
    if (cache != null) {
      cache.flush();
    }
  }

  /** The last status reported (for fleet reports), or null before any. */
  synchronized ConnectionStatus status() {
    return lastStatus;
  }

  /** Forwards status changes, dropping repeats so subscribers see each change once. */
  synchronized void status(ConnectionStatus status, String error) {
    if (status == lastStatus && java.util.Objects.equals(error, lastError)) {
      return;
    }
    lastStatus = status;
    lastError = error;
    try {
      sink.status(status, error);
    } catch (RuntimeException e) {
      log.warn("The engine failed on a status change", e);
    }
  }
}
