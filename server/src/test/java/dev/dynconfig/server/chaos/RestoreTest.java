package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.server.DynconfigServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flag file restored from a backup, without its version sidecar, while apps keep running: the
 * server must never publish a version below one it published before, so the running apps and the
 * ones started afterwards end on the same version and content.
 */
class RestoreTest {
  @TempDir Path dir;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  DynamicConfig engine(int port, String name, List<Long> seen) {
    DynamicConfig c =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .source(SourceKind.WEBSOCKET)
                .url(URI.create("ws://127.0.0.1:" + port + "/v1/stream"))
                .token(READ)
                .retry(new RetryOptions(3, Duration.ofMillis(50), Duration.ofMillis(300)))
                .pollingInterval(Duration.ofSeconds(30))
                .fallback(Fallback.DEFAULT)
                .initTimeout(Duration.ofSeconds(10))
                .cacheFile(dir.resolve(name + "-cache.json"))
                .build());
    c.subscribeToState(
        s -> {
          if (seen.isEmpty() || seen.get(seen.size() - 1) != s.version()) {
            seen.add(s.version());
          }
        });
    c.initialize();
    open.add(c);
    return c;
  }

  static String flag(boolean on) {
    return "{\"defaultValue\": " + on + "}";
  }

  @Test
  void restoreWithoutTheSidecar_neverPublishesBelowWhatRunningAppsHold_andTheFleetConverges()
      throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    DynconfigServer first = Chaos.server(file).build().start();
    int port = first.port();
    HttpClient http = Chaos.http();
    Chaos.send(http, port, "PUT", "/v1/admin/flags/restored", ADMIN, flag(false));
    Path backup = dir.resolve("flags.json.bak");
    Files.copy(file, backup); // the backup: "restored" is off
    for (int i = 0; i < 8; i++) {
      Chaos.send(http, port, "PUT", "/v1/admin/flags/restored", ADMIN, flag(i % 2 == 0));
    }
    long before = first.version();
    List<Long> runningSeen = new CopyOnWriteArrayList<>();
    DynamicConfig running = engine(port, "running", runningSeen);
    await("the running app holds the newest", () -> running.getState().version() == before);

    // The operator restores the backup while the server is down, without the hidden sidecar.
    first.close();
    Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
    Files.delete(dir.resolve(".flags.json.dynconfig-state"));
    DynconfigServer restored = Chaos.server(file).port(port).build().start();
    open.add(restored);

    await(
        "the running app takes the restored content above its own version",
        () -> running.getState().version() > before && !running.isFlagEnabled("restored"));
    assertThat(restored.version()).isGreaterThan(before);

    // The next edit reaches the running app and one started after the restore alike.
    Chaos.send(Chaos.http(), port, "PUT", "/v1/admin/flags/restored", ADMIN, flag(true));
    long edited = restored.version();
    List<Long> lateSeen = new CopyOnWriteArrayList<>();
    DynamicConfig late = engine(port, "late", lateSeen);
    await("the running app has the edit", () -> running.getState().version() == edited);
    await("the late app has the edit", () -> late.getState().version() == edited);
    assertThat(running.isFlagEnabled("restored")).isTrue();
    assertThat(late.isFlagEnabled("restored")).isTrue();
    assertThat(runningSeen).isSorted();
  }
}
