package dev.dynconfig.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfigOptions;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dynconfig driven through {@link OpenFeatureAPI} on a real flag file that is edited (atomically,
 * as editors and deploy tools write) while an application thread keeps evaluating.
 */
class FlagFileEndToEndTest {
  @TempDir Path dir;

  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final EventRecorder events = new EventRecorder(api);

  @AfterEach
  void stop() {
    api.shutdown();
  }

  @Test
  void editingTheFile_changesWhatClientsGet_andEmitsConfigurationChangedWithTheKeys()
      throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    api.setProviderAndWait(
        "shop", new DynconfigProvider(DynamicConfigOptions.builder().file(file).build()));
    Client client = api.getClient("shop");
    assertThat(client.getBooleanValue("new-checkout", false)).isTrue();

    // An application thread evaluating all along: it must only ever see the old value, then the
    // new one (a snapshot swap is atomic), and never an error or the default.
    AtomicBoolean running = new AtomicBoolean(true);
    List<String> anomalies = new CopyOnWriteArrayList<>();
    AtomicInteger evaluations = new AtomicInteger();
    Thread app =
        new Thread(
            () -> {
              boolean sawNew = false;
              while (running.get()) {
                FlagEvaluationDetails<Boolean> d =
                    client.getBooleanDetails("new-checkout", null, new ImmutableContext("u-1"));
                evaluations.incrementAndGet();
                if (d.getErrorCode() != null || d.getValue() == null) {
                  anomalies.add("error " + d.getErrorCode() + ": " + d.getErrorMessage());
                } else if (!d.getValue()) {
                  sawNew = true;
                } else if (sawNew) {
                  anomalies.add("went back to the old value after seeing the new one");
                }
              }
            },
            "app-evaluating");
    app.start();
    try {
      FlagFiles.writeAtomically(
          file,
          FlagFiles.FLAGD
              .replace(
                  "\"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"on\"\n",
                  "\"variants\": {\"on\": true, \"off\": false},\n      \"defaultVariant\": \"off\"\n")
              .replace(
                  "\"retired\"",
                  "\"banner\": {\"state\": \"ENABLED\", \"variants\": {\"a\": \"Hello\"},"
                      + " \"defaultVariant\": \"a\"},\n    \"retired-renamed\""));

      EventDetails changed = events.next(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED);

      assertThat(changed.getFlagsChanged())
          .containsExactly("banner", "new-checkout", "retired", "retired-renamed");
      assertThat(changed.getEventMetadata().getLong("version")).isNotNull();
      assertThat(client.getBooleanValue("new-checkout", true)).isFalse();
      assertThat(client.getStringValue("banner", "none")).isEqualTo("Hello");
      int before = evaluations.get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventRecorder.TIMEOUT_SECONDS);
      while (evaluations.get() < before + 100 && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // let the application thread evaluate after the change too
      }
    } finally {
      running.set(false);
      app.join(TimeUnit.SECONDS.toMillis(EventRecorder.TIMEOUT_SECONDS));
    }
    assertThat(anomalies).isEmpty();
    assertThat(evaluations.get()).isPositive();
  }

  @Test
  void aBrokenEdit_keepsTheLastGoodFlags_andEmitsNothing_untilAValidEdit() throws Exception {
    Path file = FlagFiles.writeAtomically(dir.resolve("flags.json"), FlagFiles.FLAGD);
    DynconfigProvider provider =
        new DynconfigProvider(DynamicConfigOptions.builder().file(file).build());
    api.setProviderAndWait(provider);
    Client client = api.getClient();

    FlagFiles.writeAtomically(file, FlagFiles.FLAGD.replace("\"flags\": {", "\"flags\": {{"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventRecorder.TIMEOUT_SECONDS);
    while (provider.dynamicConfig().getState().lastError() == null
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // waiting for the rejection to be logged, not timing anything
    }
    assertThat(provider.dynamicConfig().getState().lastError()).contains("flags.json");
    assertThat(client.getStringValue("banner", "none")).isEqualTo("none");
    assertThat(client.getBooleanValue("new-checkout", false)).isTrue();

    FlagFiles.writeAtomically(
        file, FlagFiles.FLAGD.replace("\"gold\": \"gold\"", "\"gold\": \"platinum\""));

    EventDetails changed = events.next(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED);
    assertThat(changed.getFlagsChanged()).containsExactly("theme");
    assertThat(events.pending(ProviderEvent.PROVIDER_CONFIGURATION_CHANGED)).isZero();
  }
}
