package dev.dynconfig;

/** Where documents come from ({@code source=} in the agent's options). */
public enum SourceKind {
  /** Only what is registered from code. */
  NONE,
  /** A local flag file, watched for changes (the default when a file is given). */
  FILE,
  /** HTTP polling of a dynconfig server's {@code /v1/flags}. */
  REMOTE,
  /** A dynconfig server's {@code /v1/stream} WebSocket, with HTTP polling as the fallback. */
  WEBSOCKET
}
