package dev.dynconfig.internal.source;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.EvaluationContext;
import dev.dynconfig.testing.RecordingSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSourceTest {
  @TempDir Path dir;
  DynamicConfig config;

  static String doc(boolean on) {
    return "{\"flags\":[{\"key\":\"f\",\"defaultValue\":" + on + "}]}";
  }

  DynamicConfig start(Path file) {
    config = DynamicConfig.create(DynamicConfigOptions.builder().file(file).build());
    config.initialize();
    return config;
  }

  @AfterEach
  void stop() {
    if (config != null) {
      config.shutdown();
    }
  }

  @Test
  void initialize_readsTheFileSynchronously() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(true));
    start(file);
    assertThat(config.isFlagEnabled("f", EvaluationContext.empty())).isTrue();
    assertThat(config.introspection().sourceDescription())
        .isEqualTo("file:" + file.toAbsolutePath());
  }

  @Test
  void anEdit_isPickedUp() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(false));
    start(file);
    Files.writeString(file, doc(true));
    await("the edit is applied", () -> config.isFlagEnabled("f", EvaluationContext.empty()));
  }

  @Test
  void aDeletedFile_isAnError_andConnectedAgain_whenRestoredAsItWas() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(true));
    start(file);
    Files.delete(file);
    await(
        "the missing file is reported",
        () -> config.getState().connectionStatus() == ConnectionStatus.ERROR);
    assertThat(config.getState().lastError()).contains("flags.json does not exist");
    assertThat(config.isFlagEnabled("f", EvaluationContext.empty())).isTrue();

    Files.writeString(file, doc(true));

    await(
        "the restored file is reported",
        () -> config.getState().connectionStatus() == ConnectionStatus.CONNECTED);
  }

  @Test
  void anAtomicRenameOverTheFile_isPickedUp() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(false));
    start(file);
    Path tmp = Files.writeString(dir.resolve(".flags.json.swp"), doc(true));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    await(
        "the renamed file is applied", () -> config.isFlagEnabled("f", EvaluationContext.empty()));
  }

  @Test
  void aBrokenEdit_isRejected_andTheLastGoodVersionKeepsServing() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(true));
    start(file);
    Files.writeString(file, "{\"flags\":[{\"key\":\"f\",\"defaultValue\":tru");
    await("the broken edit is reported", () -> config.getState().lastError() != null);
    assertThat(config.getState().lastError())
        .startsWith(file.toAbsolutePath() + ": $: is not valid JSON");
    assertThat(config.isFlagEnabled("f", EvaluationContext.empty())).isTrue();
    Files.writeString(file, doc(false));
    // The snapshot swaps just before the state is updated; wait for both.
    await(
        "the fixed file is applied and the error cleared",
        () ->
            !config.isFlagEnabled("f", EvaluationContext.empty())
                && config.getState().lastError() == null);
  }

  @Test
  void pollingFallback_seesChanges_withoutWatchEvents() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(false));
    RecordingSink sink = new RecordingSink();
    try (FileSource source = new FileSource(file, Duration.ofMillis(50))) {
      source.start(sink);
      assertThat(sink.offered()).hasSize(1);
      Files.writeString(file, doc(true));
      await("the change is offered", () -> sink.offered().size() == 2);
    }
  }

  /** Small files are compared byte for byte, files over 1 MiB by digest: both see every edit. */
  @ParameterizedTest
  @ValueSource(ints = {0, 2 << 20})
  void aSameSizeEdit_isOffered_forSmallAndLargeFiles(int padding) throws Exception {
    String pad = "x".repeat(padding);
    byte[] first = ("{\"p\":\"" + pad + "\",\"v\":1}").getBytes(StandardCharsets.UTF_8);
    byte[] second = ("{\"p\":\"" + pad + "\",\"v\":2}").getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("flags.json"), first);
    RecordingSink sink = new RecordingSink();
    try (FileSource source = new FileSource(file, Duration.ofMillis(50))) {
      source.start(sink);
      assertThat(sink.content()).isEqualTo(new String(first, StandardCharsets.UTF_8));
      Files.write(file, second);
      await(
          "the same-size edit is offered",
          () -> new String(second, StandardCharsets.UTF_8).equals(sink.content()));
      Files.write(file, first);
      await(
          "the edit back to the first content",
          () -> new String(first, StandardCharsets.UTF_8).equals(sink.content()));
    }
  }

  @Test
  void watcherThread_isANamedDaemon() throws Exception {
    Path file = Files.writeString(dir.resolve("flags.json"), doc(false));
    start(file);
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals("dynconfig-file-watcher"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }
}
