package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider's lifecycle as the SDK's event handlers and provider states see it. */
class ProviderEventsTest {
  @TempDir Path dir;

  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final EventRecorder events = new EventRecorder(api);

  @AfterEach
  void stop() {
    api.shutdown();
  }

  @Test
  void start_emitsProviderReady() throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);

    api.setProviderAndWait(
        new DynconfigProvider(DynamicConfigOptions.builder().file(file).build()));

    assertThat(events.next(ProviderEvent.PROVIDER_READY).getProviderName()).isEqualTo("dynconfig");
    assertThat(api.getClient().getProviderState()).isEqualTo(ProviderState.READY);
  }

  @Test
  void fatalStart_emitsProviderError_andEvaluationsServeDefaults() throws Exception {
    Path missing = dir.resolve("missing-flags.json");
    DynconfigProvider provider =
        new DynconfigProvider(
            DynamicConfigOptions.builder().file(missing).fallback(Fallback.THROW).build());

    assertThatThrownBy(() -> api.setProviderAndWait(provider))
        .isInstanceOf(OpenFeatureError.class)
        .hasMessageContaining("missing-flags.json");

    EventDetails error = events.next(ProviderEvent.PROVIDER_ERROR);
    assertThat(error.getMessage()).contains("dynconfig could not start", "missing-flags.json");
    Client client = api.getClient();
    assertThat(client.getProviderState()).isEqualTo(ProviderState.FATAL);
    FlagEvaluationDetails<Boolean> d = client.getBooleanDetails("new-checkout", true);
    assertThat(d.getValue()).isTrue();
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.PROVIDER_FATAL);
  }

  @Test
  void lostSource_isStale_whileTheLastGoodFlagsServe_andReadyWhenBack() throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    api.setProviderAndWait(
        new DynconfigProvider(DynamicConfigOptions.builder().file(file).build()));
    events.next(ProviderEvent.PROVIDER_READY);
    Client client = api.getClient();

    Files.delete(file);

    EventDetails stale = events.next(ProviderEvent.PROVIDER_STALE);
    assertThat(stale.getMessage()).contains("flags.json", "serving the last good configuration");
    assertThat(client.getProviderState()).isEqualTo(ProviderState.STALE);
    FlagEvaluationDetails<Boolean> whileStale = client.getBooleanDetails("new-checkout", false);
    assertThat(whileStale.getValue()).isTrue();
    assertThat(whileStale.getErrorCode()).isNull();

    FlagFiles.writeAtomically(file, FlagFiles.FLAGD);

    EventDetails back = events.next(ProviderEvent.PROVIDER_READY);
    assertThat(back.getMessage()).contains("flags.json");
    assertThat(client.getProviderState()).isEqualTo(ProviderState.READY);
    assertThat(events.pending(ProviderEvent.PROVIDER_STALE)).isZero();
  }

  @Test
  void shutdown_shutsTheEngineDown() throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    DynconfigProvider provider =
        new DynconfigProvider(DynamicConfigOptions.builder().file(file).build());
    api.setProviderAndWait(provider);
    assertThat(provider.dynamicConfig().getState().initialized()).isTrue();

    api.shutdown();

    assertThat(provider.dynamicConfig().getState().initialized()).isFalse();
    assertThatCode(() -> provider.dynamicConfig().setOverride("theme", "after-shutdown"))
        .as("changes after shutdown emit nothing and throw nothing")
        .doesNotThrowAnyException();
    assertThat(events.pending(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED)).isZero();
  }

  @Test
  void providerOverARunningEngine_reportsOverridesAsConfigurationChanges() throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    DynamicConfig config = DynamicConfig.create(DynamicConfigOptions.builder().file(file).build());
    config.initialize();
    api.setProviderAndWait(new DynconfigProvider(config));
    events.next(ProviderEvent.PROVIDER_READY);

    config.setOverride("theme", "neon");

    EventDetails changed = events.next(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED);
    assertThat(changed.getFlagsChanged()).containsExactly("theme");
    assertThat(api.getClient().getStringValue("theme", "none")).isEqualTo("neon");
  }
}
