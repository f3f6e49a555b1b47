package dev.dynconfig.internal.source;

/**
 * Where documents come from: a local file, a dynconfig server over WebSocket, HTTP polling. A
 * source runs on its own (named, daemon) threads and hands every document it receives to the {@link
 * SourceSink}; it never applies anything itself and never throws into the caller.
 */
public interface ConfigSource extends AutoCloseable {

  /** Starts delivering documents and status changes to {@code sink}. Returns without blocking. */
  void start(SourceSink sink);

  /**
   * Fetches the current document now (for {@code forceRefresh()} / {@code syncWithRemote()}) and
   * offers it to the sink before returning; failures are reported through the sink's status.
   */
  void refresh();

  /**
   * Whether {@link #start} offers the first document (or reports why there is none) before it
   * returns, so there is nothing to wait for (a local file). False for sources that deliver from
   * their own threads; the engine then waits up to {@code initTimeout} for the first document.
   */
  default boolean startsSynchronously() {
    return false;
  }

  /**
   * For {@code fallback=cache}, when no valid document arrived in time: offers {@code sink} what
   * this source keeps for that case (a network source: its offline cache, if younger than {@code
   * cacheDuration}) and returns what happened as a sentence for the start-up log. Null when the
   * source keeps nothing to fall back on; the engine then starts on code defaults. Never throws.
   */
  default String offerFallback(SourceSink sink) {
    return null;
  }

  /** A short description for logs, state and JMX, e.g. {@code file:/etc/flags.json}. */
  String describe();

  /** Stops all threads and connections of this source. Idempotent. */
  @Override
  void close();
}
