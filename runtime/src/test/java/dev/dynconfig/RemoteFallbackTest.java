package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.internal.source.remote.OfflineCache;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code initialize()} does when the server cannot be reached, per {@code fallback}. */
class RemoteFallbackTest {
  private static final String CACHED =
      "{\"version\": 41, \"flags\": [{\"key\": \"cached-flag\", \"defaultValue\": true}]}";
  private static final Instant SAVED_AT = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  @Test
  void cacheFallback_servesTheCachedDocument_whenYoungerThanCacheDuration() throws IOException {
    Path cache = seedCache();
    try (DynamicConfig config =
        DynamicConfig.create(options(cache, Fallback.CACHE, SAVED_AT.plusSeconds(60)))) {
      config.initialize();

      assertThat(config.isFlagEnabled("cached-flag", EvaluationContext.empty())).isTrue();
      assertThat(config.getState().version()).isEqualTo(41);
      assertThat(config.getState().initialized()).isTrue();
    }
  }

  @Test
  void cacheFallback_startsOnCodeDefaults_whenTheCacheIsOlderThanCacheDuration()
      throws IOException {
    Path cache = seedCache();
    try (DynamicConfig config =
        DynamicConfig.create(options(cache, Fallback.CACHE, SAVED_AT.plus(Duration.ofHours(2))))) {
      config.initialize();

      assertThat(config.evaluateFlag("cached-flag", EvaluationContext.empty()).errorCode())
          .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
      assertThat(config.getState().initialized()).isTrue();
    }
  }

  @Test
  void defaultFallback_ignoresTheCache_andStartsOnCodeDefaults() throws IOException {
    Path cache = seedCache();
    try (DynamicConfig config =
        DynamicConfig.create(options(cache, Fallback.DEFAULT, SAVED_AT.plusSeconds(60)))) {
      config.initialize();

      assertThat(config.isFlagEnabled("cached-flag", EvaluationContext.empty())).isFalse();
      DynamicConfigState state = awaitState(config, st -> st.lastError() != null);
      assertThat(state.lastError()).contains("127.0.0.1");
      assertThat(state.connectionStatus()).isNotEqualTo(ConnectionStatus.CONNECTED);
    }
  }

  @Test
  void throwFallback_failsInitialize_namingTheSource() throws IOException {
    Path cache = seedCache();
    DynamicConfigOptions options = options(cache, Fallback.THROW, SAVED_AT.plusSeconds(60));
    DynamicConfig config = DynamicConfig.create(options);
    try {
      assertThatThrownBy(config::initialize)
          .isInstanceOf(DynamicConfigException.class)
          .hasMessageContaining(options.url().getHost())
          .hasMessageEndingWith("(fallback=throw)");
    } finally {
      config.shutdown();
    }
  }

  /** Bounded wait for the source to report what it found (connection refused). */
  private static DynamicConfigState awaitState(
      DynamicConfig config, java.util.function.Predicate<DynamicConfigState> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    DynamicConfigState state = config.getState();
    while (!condition.test(state) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      state = config.getState();
    }
    return state;
  }

  private Path seedCache() {
    Path cache = dir.resolve("cache.json");
    URI url = unreachableUrl();
    new OfflineCache(cache, url.toString(), Clock.fixed(SAVED_AT, ZoneOffset.UTC))
        .saveNow(CACHED.getBytes(StandardCharsets.UTF_8), 41);
    return cache;
  }

  private DynamicConfigOptions options(Path cache, Fallback fallback, Instant now) {
    return DynamicConfigOptions.builder()
        .source(SourceKind.REMOTE)
        .url(unreachableUrl())
        .cacheFile(cache)
        .cacheDuration(Duration.ofMinutes(5))
        .fallback(fallback)
        .initTimeout(Duration.ofMillis(300))
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }

  private static URI unreachable;

  /** A loopback port that was free a moment ago: connections to it are refused. */
  private static synchronized URI unreachableUrl() {
    if (unreachable == null) {
      try (ServerSocket s = new ServerSocket(0)) {
        unreachable = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/v1/flags");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return unreachable;
  }
}
