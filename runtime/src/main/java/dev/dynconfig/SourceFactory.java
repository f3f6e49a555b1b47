package dev.dynconfig;

import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.FileSource;
import dev.dynconfig.internal.source.remote.RemoteSources;

/**
 * Creates the {@link ConfigSource} the options ask for: the one place new source kinds plug in. The
 * facade hands it to the engine, which starts whatever it gets and names no concrete source.
 */
final class SourceFactory {
  private SourceFactory() {}

  /** The source for {@code options.source()}, or null for {@code none}. */
  static ConfigSource create(DynamicConfigOptions options) {
    switch (options.source()) {
      case NONE:
        return null;
      case FILE:
        return new FileSource(options.file());
      case REMOTE:
      case WEBSOCKET:
        // HTTP polling with ETag, or the WebSocket stream with polling as its fallback.
        return RemoteSources.create(options);
      default:
        throw new DynamicConfigException("unknown source kind " + options.source());
    }
  }
}
