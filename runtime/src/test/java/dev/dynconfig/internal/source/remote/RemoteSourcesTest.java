package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteSourcesTest {
  static final Clock T0 = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  static final class Sink implements SourceSink {
    final List<Long> offered = new ArrayList<>();

    @Override
    public OfferResult offer(byte[] content, long version, String origin) {
      offered.add(version);
      return OfferResult.APPLIED;
    }

    @Override
    public void status(ConnectionStatus status, String error) {}

    @Override
    public long currentVersion() {
      return -1;
    }
  }

  DynamicConfigOptions options(Clock clock) {
    return DynamicConfigOptions.builder()
        .source(SourceKind.WEBSOCKET)
        .url(URI.create("ws://127.0.0.1:1/v1/stream"))
        .cacheFile(dir.resolve("cache.json"))
        .cacheDuration(Duration.ofMinutes(5))
        .clock(clock)
        .build();
  }

  @Test
  void freshCache_isOffered_staleOrCorruptIsNot() throws Exception {
    new OfflineCache(dir.resolve("cache.json"), "u", T0)
        .saveNow("{\"version\":9}".getBytes(StandardCharsets.UTF_8), 9);
    Sink fresh = new Sink();
    assertThat(
            RemoteSources.offerCache(options(Clock.offset(T0, Duration.ofMinutes(1))), fresh)
                .applied())
        .isTrue();
    assertThat(fresh.offered).containsExactly(9L);

    Sink stale = new Sink();
    RemoteSources.CacheOutcome old =
        RemoteSources.offerCache(options(Clock.offset(T0, Duration.ofMinutes(10))), stale);
    assertThat(old.applied()).isFalse();
    assertThat(old.message()).contains("older than cacheDuration");
    assertThat(stale.offered).isEmpty();

    Files.writeString(dir.resolve("cache.json"), "{garbage");
    Sink corrupt = new Sink();
    assertThat(RemoteSources.offerCache(options(T0), corrupt).applied()).isFalse();
    assertThat(corrupt.offered).isEmpty();
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
