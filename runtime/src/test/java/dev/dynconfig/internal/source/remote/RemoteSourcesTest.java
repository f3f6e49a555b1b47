package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import dev.dynconfig.testing.RecordingSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteSourcesTest {
  static final Clock T0 = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  DynamicConfigOptions options(Clock clock) {
    return DynamicConfigOptions.builder()
        .source(SourceKind.WEBSOCKET)
        .url(URI.create("ws://127.0.0.1:1/v1/stream"))
        .cacheFile(dir.resolve("cache.json"))
        .cacheDuration(Duration.ofMinutes(5))
        .clock(clock)
        .build();
  }

  /** What the source created for {@code options} falls back on at start-up. */
  static String fallBack(DynamicConfigOptions options, SourceSink sink) {
    try (ConfigSource source = RemoteSources.create(options)) {
      return source.offerFallback(sink);
    }
  }

  @Test
  void freshCache_isOffered_staleOrCorruptIsNot() throws Exception {
    new OfflineCache(dir.resolve("cache.json"), "u", T0)
        .saveNow("{\"version\":9}".getBytes(StandardCharsets.UTF_8), 9);
    RecordingSink fresh = new RecordingSink();
    assertThat(fallBack(options(Clock.offset(T0, Duration.ofMinutes(1))), fresh))
        .startsWith("serving the offline cache " + dir.resolve("cache.json") + " (version 9, 60 s")
        .endsWith("; the live document is applied as soon as the server answers.");
    assertThat(fresh.offered()).containsExactly(9L);

    RecordingSink stale = new RecordingSink();
    assertThat(fallBack(options(Clock.offset(T0, Duration.ofMinutes(10))), stale))
        .contains("older than cacheDuration")
        .contains("starting on code defaults");
    assertThat(stale.offered()).isEmpty();

    Files.writeString(dir.resolve("cache.json"), "{garbage");
    RecordingSink corrupt = new RecordingSink();
    assertThat(fallBack(options(T0), corrupt)).contains("starting on code defaults");
    assertThat(corrupt.offered()).isEmpty();
  }

  @Test
  void everyNetworkSource_fallsBackOnItsOfflineCache_butNotWhenCreatedByHand() throws Exception {
    new OfflineCache(dir.resolve("cache.json"), "u", T0)
        .saveNow("{\"version\":4}".getBytes(StandardCharsets.UTF_8), 4);
    DynamicConfigOptions ws = options(T0);
    for (DynamicConfigOptions o :
        List.of(
            ws,
            ws.toBuilder().enableWebSocket(false).build(),
            ws.toBuilder()
                .source(SourceKind.REMOTE)
                .url(URI.create("http://h:2/v1/flags"))
                .build())) {
      RecordingSink sink = new RecordingSink();
      assertThat(fallBack(o, sink)).as(o.source().name()).startsWith("serving the offline cache");
      assertThat(sink.offered()).containsExactly(4L);
    }
    RemoteSettings byHand = RemoteSettings.from(ws);
    RecordingSink sink = new RecordingSink();
    try (ConfigSource poll = new HttpPollingSource(byHand);
        ConfigSource stream = new WebSocketSource(byHand)) {
      assertThat(poll.offerFallback(sink)).isNull();
      assertThat(stream.offerFallback(sink)).isNull();
    }
    assertThat(sink.offered()).isEmpty();
  }

  @Test
  void create_picksTheSourceForTheOptions() {
    try (ConfigSource ws = RemoteSources.create(options(T0))) {
      assertThat(ws).isInstanceOf(WebSocketSource.class);
    }
    try (ConfigSource poll =
        RemoteSources.create(options(T0).toBuilder().enableWebSocket(false).build())) {
      assertThat(poll).isInstanceOf(HttpPollingSource.class);
      assertThat(poll.describe()).isEqualTo("remote:http://127.0.0.1:1/v1/flags");
    }
    try (ConfigSource remote =
        RemoteSources.create(
            options(T0).toBuilder()
                .source(SourceKind.REMOTE)
                .url(URI.create("http://h:2/v1/flags"))
                .build())) {
      assertThat(remote).isInstanceOf(HttpPollingSource.class);
    }
  }
}
