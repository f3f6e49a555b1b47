package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.Fallback;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.SourceKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes: the server JVM is killed with SIGKILL over and over while real engines are connected
 * over WebSocket and an admin keeps writing. Afterwards every client holds the final version, no
 * client ever went backwards, and the file holds every acknowledged write — checked after every
 * single kill, not only at the end. CI mode: 20 kills, 50 clients; {@code
 * -Ddynconfig.chaos.long=true}: 20 kills, 200 clients, longer up-times.
 */
class KillTest {
  static final ObjectMapper M = new ObjectMapper();

  @TempDir Path dir;
  final List<DynamicConfig> clients = new ArrayList<>();
  Process server;
  // Outside @TempDir: the engines' cache writer thread may still be finishing a write while JUnit
  // deletes the temp directory.
  Path caches;

  @AfterEach
  void tearDown() throws Exception {
    for (DynamicConfig c : clients) {
      c.close();
    }
    if (server != null) {
      ForkedServer.kill(server);
    }
    if (caches != null) {
      deleteBestEffort(caches);
    }
  }

  /**
   * Clean-up only: a client's cache writer may still rename a temporary file while we walk, so a
   * vanished entry is not an error, and a second pass picks up what appeared meanwhile.
   */
  private static void deleteBestEffort(Path root) {
    for (int pass = 0; pass < 3 && Files.exists(root); pass++) {
      try (var s = Files.walk(root)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        // retried; anything left over is in the system temp directory
      }
    }
  }

  @Test
  void killedTwentyTimesWhileWriting_noAcknowledgedWriteLost_noClientWentBackwards()
      throws Exception {
    int kills = 20;
    int clientCount = Chaos.LONG ? 200 : 50;
    int maxUptimeMs = Chaos.LONG ? 1500 : 300;
    caches = Files.createTempDirectory("dynconfig-kill-caches");
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    server = ForkedServer.start(file, port, log, List.of());

    // Real engines, each with its own cache file, recording every version they serve.
    List<List<Long>> seen = new ArrayList<>();
    AtomicInteger backwards = new AtomicInteger();
    for (int i = 0; i < clientCount; i++) {
      DynamicConfig c =
          DynamicConfig.create(
              DynamicConfigOptions.builder()
                  .source(SourceKind.WEBSOCKET)
                  .url(URI.create("ws://127.0.0.1:" + port + "/v1/stream"))
                  .token(READ)
                  .retry(new RetryOptions(3, Duration.ofMillis(50), Duration.ofMillis(1000)))
                  .pollingInterval(Duration.ofSeconds(2))
                  .fallback(Fallback.DEFAULT)
                  .initTimeout(Duration.ZERO)
                  .cacheFile(caches.resolve("cache-" + i + ".json"))
                  .build());
      List<Long> versions = new CopyOnWriteArrayList<>();
      c.subscribeToState(
          s -> {
            synchronized (versions) {
              if (!versions.isEmpty() && s.version() < versions.get(versions.size() - 1)) {
                backwards.incrementAndGet();
              }
              if (versions.isEmpty() || s.version() != versions.get(versions.size() - 1)) {
                versions.add(s.version());
              }
            }
          });
      c.initialize();
      clients.add(c);
      seen.add(versions);
    }

    // The admin: distinct keys, so every acknowledged write must be findable in the file.
    Map<Integer, Long> acked = new ConcurrentHashMap<>();
    List<Long> ackedVersions = new CopyOnWriteArrayList<>();
    AtomicInteger unknown = new AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread admin =
        new Thread(
            () -> {
              for (int i = 0; writing.get(); i++) {
                try {
                  var r =
                      ForkedServer.RawHttp.request(
                          port, "PUT", "/v1/admin/config/chaos/k" + i, ADMIN, Integer.toString(i));
                  if (r.status() == 200) {
                    long v = M.readTree(r.body()).get("version").asLong();
                    acked.put(i, v);
                    ackedVersions.add(v);
                  } else {
                    unknown.incrementAndGet();
                  }
                } catch (Exception serverDown) {
                  unknown.incrementAndGet(); // may or may not have landed; never acknowledged
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "chaos-admin");
    admin.start();

    Random rnd = new Random(42);
    long start = System.nanoTime();
    for (int k = 0; k < kills; k++) {
      Thread.sleep(100 + rnd.nextInt(maxUptimeMs));
      ForkedServer.kill(server);
      // Right after the crash, before anyone rewrites it: whole, and holding every acknowledged
      // write so far.
      assertFileHolds(file, Map.copyOf(acked));
      server = ForkedServer.start(file, port, log, List.of());
    }
    Thread.sleep(300);
    writing.set(false);
    admin.join();

    var latest = ForkedServer.RawHttp.request(port, "GET", "/v1/flags", READ, null);
    long finalVersion = M.readTree(latest.body()).get("version").asLong();
    await(
        "every client holds version " + finalVersion,
        Duration.ofSeconds(60),
        () -> clients.stream().allMatch(c -> c.getState().version() == finalVersion));
    long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

    assertThat(backwards.get()).as("versions that went backwards in some client").isZero();
    for (List<Long> v : seen) {
      assertThat(v).isSorted();
    }
    assertThat(ackedVersions).as("acknowledged versions").isSorted().doesNotHaveDuplicates();
    assertFileHolds(file, Map.copyOf(acked));
    assertThat(acked).isNotEmpty();
    assertThat(Files.readString(log)).doesNotContain("Exception in thread");
    System.out.printf(
        "kill test: %d SIGKILLs, %d clients, %d acknowledged writes (all on disk), %d unacknowledged"
            + " attempts, final version %d reached by every client, %d s%n",
        kills, clientCount, acked.size(), unknown.get(), finalVersion, seconds);
  }

  /** The file parses (never torn) and holds every acknowledged write with its value. */
  static void assertFileHolds(Path file, Map<Integer, Long> acked) throws Exception {
    JsonNode doc = M.readTree(Files.readAllBytes(file));
    assertThat(doc.isObject()).isTrue();
    JsonNode chaos = doc.path("config").path("chaos");
    long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElse(0);
    assertThat(doc.path("version").asLong()).isGreaterThanOrEqualTo(maxAcked);
    for (Map.Entry<Integer, Long> e : acked.entrySet()) {
      assertThat(chaos.path("k" + e.getKey()).asInt(-1))
          .as("acknowledged write k%d (version %d)", e.getKey(), e.getValue())
          .isEqualTo(e.getKey());
    }
    try (var s = Files.list(file.getParent())) {
      // Crash leftovers are only ever temporaries, never the target itself.
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json.tmp")))
          .isEmpty();
    }
    assertThat(CrashingServerMain.EXIT_CODE).isPositive();
  }
}
