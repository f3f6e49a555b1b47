package dev.dynconfig.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfigException;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.Fallback;
import dev.dynconfig.internal.source.ConfigSource;
import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The engine starts whatever source it is given and leaves what is specific to the source to the
 * source: whether it starts synchronously, and what it falls back on ({@code fallback=cache}).
 */
class SourceLifecycleTest {
  static final byte[] CACHED =
      "{\"version\": 7, \"flags\": [{\"key\": \"f\", \"defaultValue\": true}]}"
          .getBytes(StandardCharsets.UTF_8);

  /** A source that delivers nothing (its server is down) and keeps a document to fall back on. */
  static class SilentSource implements ConfigSource {
    final boolean synchronous;
    final byte[] document;
    final AtomicInteger fallbacksAsked = new AtomicInteger();
    volatile boolean closed;

    SilentSource(boolean synchronous, byte[] document) {
      this.synchronous = synchronous;
      this.document = document;
    }

    @Override
    public void start(SourceSink sink) {
      sink.status(ConnectionStatus.ERROR, "connection refused");
    }

    @Override
    public boolean startsSynchronously() {
      return synchronous;
    }

    @Override
    public String offerFallback(SourceSink sink) {
      fallbacksAsked.incrementAndGet();
      if (document == null) {
        return null;
      }
      sink.offer(document, 7, "cache:test");
      return "serving the test cache";
    }

    @Override
    public void refresh() {}

    @Override
    public String describe() {
      return "silent:test";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static EngineParts engine(Fallback fallback, Duration initTimeout, ConfigSource source) {
    DynamicConfigOptions options =
        DynamicConfigOptions.builder().fallback(fallback).initTimeout(initTimeout).build();
    return EngineParts.create(options, () -> source);
  }

  static boolean f(EngineParts parts) {
    return parts.reader().isEnabled("f", EvaluationContext.empty());
  }

  @Test
  void fallbackCache_servesWhatTheSourceFallsBackOn() {
    SilentSource source = new SilentSource(false, CACHED);
    EngineParts parts = engine(Fallback.CACHE, Duration.ofMillis(20), source);
    parts.sources().initialize();
    assertThat(source.fallbacksAsked).hasValue(1);
    assertThat(f(parts)).isTrue();
    assertThat(parts.introspection().version()).isEqualTo(7);
    assertThat(parts.state().get().initialized()).isTrue();
    assertThat(parts.introspection().sourceDescription()).isEqualTo("silent:test");
  }

  @Test
  void fallbackCache_withASourceThatKeepsNothing_startsOnCodeDefaults() {
    SilentSource source = new SilentSource(false, null);
    EngineParts parts = engine(Fallback.CACHE, Duration.ofMillis(20), source);
    parts.sources().initialize();
    assertThat(source.fallbacksAsked).hasValue(1);
    assertThat(f(parts)).isFalse();
    assertThat(parts.introspection().version()).isEqualTo(-1);
    assertThat(parts.state().get().initialized()).isTrue();
  }

  @Test
  void fallbackDefault_neverAsksTheSourceForItsFallback() {
    SilentSource source = new SilentSource(false, CACHED);
    EngineParts parts = engine(Fallback.DEFAULT, Duration.ofMillis(20), source);
    parts.sources().initialize();
    assertThat(source.fallbacksAsked).hasValue(0);
    assertThat(f(parts)).isFalse();
  }

  @Test
  void fallbackThrow_closesTheSource_andNamesIt() {
    SilentSource source = new SilentSource(false, CACHED);
    EngineParts parts = engine(Fallback.THROW, Duration.ofMillis(20), source);
    assertThatThrownBy(() -> parts.sources().initialize())
        .isInstanceOf(DynamicConfigException.class)
        .hasMessageContaining("silent:test")
        .hasMessageContaining("connection refused")
        .hasMessageContaining("fallback=throw");
    assertThat(source.closed).isTrue();
    assertThat(source.fallbacksAsked).hasValue(0);
    assertThat(parts.introspection().sourceDescription()).isEqualTo("none");
  }

  @Test
  void aSynchronousSource_isNotWaitedFor_evenWithAnEndlessInitTimeout() {
    SilentSource source = new SilentSource(true, CACHED);
    EngineParts parts = engine(Fallback.CACHE, Duration.ofDays(365), source);
    // A bound that only catches a hang: waiting for initTimeout would take a year.
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> parts.sources().initialize());
    assertThat(source.fallbacksAsked).hasValue(1);
    assertThat(f(parts)).isTrue();
  }

  @Test
  void aSourceThatDelivers_isNotAskedForItsFallback_andShutdownClosesIt() {
    SilentSource source =
        new SilentSource(false, CACHED) {
          @Override
          public void start(SourceSink sink) {
            sink.offer(CACHED, -1, "test");
          }
        };
    EngineParts parts = engine(Fallback.CACHE, Duration.ofDays(365), source);
    parts.sources().initialize();
    assertThat(source.fallbacksAsked).hasValue(0);
    assertThat(f(parts)).isTrue();
    parts.sources().shutdown();
    assertThat(source.closed).isTrue();
    assertThat(parts.state().get().initialized()).isFalse();
    assertThat(f(parts)).as("the last snapshot keeps serving").isTrue();
  }
}
