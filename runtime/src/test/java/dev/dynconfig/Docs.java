package dev.dynconfig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.internal.source.SourceSink;
import java.nio.charset.StandardCharsets;

/** Helpers to feed documents to an engine in tests. */
final class Docs {
  private Docs() {}

  static SourceSink.OfferResult offer(DynamicConfig config, String json) {
    return config.sink().offer(json.getBytes(StandardCharsets.UTF_8), -1, "test.json");
  }

  static void load(DynamicConfig config, String json) {
    assertThat(offer(config, json)).isEqualTo(SourceSink.OfferResult.APPLIED);
  }

  /** JSON with single quotes for readability. */
  static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }
}
