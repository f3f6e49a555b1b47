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

  /** A short description for logs, state and JMX, e.g. {@code file:/etc/flags.json}. */
  String describe();

  /** Stops all threads and connections of this source. Idempotent. */
  @Override
  void close();
}
