package dev.dynconfig.internal.source.remote;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.internal.source.ConfigSource;
import java.net.URI;
import java.util.List;

/**
 * Creates the network source for {@code source=remote} / {@code source=websocket}; the source falls
 * back on its offline cache ({@code fallback=cache}) when its server cannot be reached at start-up.
 */
public final class RemoteSources {
  private RemoteSources() {}

  /**
   * {@code websocket} → {@link WebSocketSource} (polling {@code /v1/flags} while it is down), or
   * with {@code enableWebSocket=false} plain polling of the derived {@code /v1/flags}; {@code
   * remote} → {@link HttpPollingSource}. Each falls back on the offline cache the options name.
   */
  public static ConfigSource create(DynamicConfigOptions options) {
    RemoteSettings s = RemoteSettings.from(options);
    CacheFallback cache = new CacheFallback(options);
    if (options.source() == SourceKind.WEBSOCKET) {
      String scheme = options.url().getScheme();
      boolean ws =
          scheme != null && (scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"));
      if (options.enableWebSocket() && ws) {
        return new WebSocketSource(s, options.urls(), cache);
      }
      if (!ws) {
        return new HttpPollingSource(s, options.urls(), cache);
      }
      List<URI> flags = options.urls().stream().map(WebSocketSource::flagsUrlFor).toList();
      return new HttpPollingSource(s.withUrl(flags.get(0)), flags, cache);
    }
    if (options.source() == SourceKind.REMOTE) {
      return new HttpPollingSource(s, options.urls(), cache);
    }
    throw new IllegalArgumentException("not a network source: " + options.source());
  }
}
