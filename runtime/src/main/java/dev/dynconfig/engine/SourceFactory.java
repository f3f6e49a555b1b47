package dev.dynconfig.engine;

import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.source.ConfigSource;
import dev.dynconfig.source.FileSource;
import java.util.Locale;

/** Creates the {@link ConfigSource} the options ask for: the one place new source kinds plug in. */
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
        // Network sources (HTTP polling with ETag, the WebSocket stream with polling fallback and
        // the offline cache) plug in here.
        throw new DynamicConfigException(
            "source="
                + options.source().name().toLowerCase(Locale.ROOT)
                + " ("
                + options.url()
                + ") is not available in this build yet; use source=file with a local flag file");
      default:
        throw new DynamicConfigException("unknown source kind " + options.source());
    }
  }
}
