package dev.dynconfig.internal.source;

import dev.dynconfig.ConnectionStatus;

/** What a {@link ConfigSource} talks to: the engine. Implementations are thread-safe. */
public interface SourceSink {

  /**
   * Offers a raw document (native or flagd JSON, or YAML). The engine validates it whole and either
   * swaps it in as the new snapshot or rejects it, keeping the last good snapshot.
   *
   * @param content the document bytes
   * @param version the version stamped by the server, or {@code -1} when the transport has none
   *     (the document's own {@code version} field is used then)
   * @param origin where it came from, used in error messages (a file path or URL)
   * @return what happened to it
   */
  OfferResult offer(byte[] content, long version, String origin);

  /** Reports a change of the connection status; {@code error} may be null. */
  void status(ConnectionStatus status, String error);

  /** The version of the snapshot currently served, or {@code -1} before the first document. */
  long currentVersion();

  /** Outcome of {@link #offer}. */
  enum OfferResult {
    /** Validated and swapped in. */
    APPLIED,
    /** Identical version (and content) already served: nothing to do. */
    UNCHANGED,
    /** Older than the version already served: ignored so nothing goes backwards. */
    STALE,
    /** Failed validation; the last good snapshot keeps serving. */
    REJECTED
  }
}
