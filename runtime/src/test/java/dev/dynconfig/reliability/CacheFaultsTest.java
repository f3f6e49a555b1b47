package dev.dynconfig.reliability;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.remote.OfflineCache;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline cache on a disk that refuses writes: an unwritable directory (a path under a regular
 * file — root ignores permission bits, so chmod would prove nothing) and a full disk ({@code ulimit
 * -f} in a child JVM). Both degrade to one logged warning; documents keep being applied; an
 * existing cache file is never damaged.
 */
class CacheFaultsTest {
  @TempDir Path dir;

  @Test
  void unwritableCacheDirectory_degradesToOneWarning_andEveryDocumentIsStillApplied()
      throws Exception {
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "x");
    Path cacheFile = blocker.resolve("cache.json");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    RecordingSink sink = RecordingSink.judgingFlagDocuments();
    try (HostilePeer peer = new HostilePeer()) {
      peer.then(
          c ->
              c.handshake()
                  .snapshot(1, HostileServerTest.doc(1))
                  .snapshot(2, HostileServerTest.doc(2))
                  .snapshot(3, HostileServerTest.doc(3)));
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try (WebSocketSource s =
          new WebSocketSource(
              RemoteSettings.of(URI.create(peer.wsUrl()), "t")
                  .withRetry(new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(100)))
                  .withCache(new OfflineCache(cacheFile, peer.wsUrl(), Clock.systemUTC())))) {
        s.start(sink);
        await("all applied", () -> sink.currentVersion() == 3);
        // The cache writer runs in the background: wait for its verdict on the newest save.
        OfflineCache probe = new OfflineCache(cacheFile, "probe", Clock.systemUTC());
        assertThat(probe.saveNow("{}".getBytes(StandardCharsets.UTF_8), 4)).isFalse();
        Thread.sleep(200);
      } finally {
        System.setErr(err);
      }
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(sink.applied()).containsExactly(1L, 2L, 3L);
    assertThat(countOf(log, "Cannot write the offline cache")).isBetween(1, 2); // source + probe
    assertThat(Files.readString(blocker)).isEqualTo("x");
  }

  @Test
  void fullDisk_leavesTheOldCacheIntact_andSaveReportsFailureWithoutThrowing() throws Exception {
    Path cacheFile = dir.resolve("cache.json");
    OfflineCache cache = new OfflineCache(cacheFile, "ws://x/v1/stream", Clock.systemUTC());
    assertThat(cache.saveNow(HostileServerTest.doc(5).getBytes(StandardCharsets.UTF_8), 5))
        .isTrue();
    byte[] before = Files.readAllBytes(cacheFile);
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of("bash", "-c", "ulimit -f 16 && exec \"$@\"", "full-disk"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(FullDiskSave.class.getName(), cacheFile.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("saved=false").contains("Cannot write the offline cache");
    assertThat(Files.readAllBytes(cacheFile)).as("old cache untouched").isEqualTo(before);
    assertThat(cache.load()).get().extracting(OfflineCache.Entry::version).isEqualTo(5L);
    try (var s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
    }
  }

  /** Child JVM: tries to save a 256 KiB document under a 16 KiB file-size limit. */
  static final class FullDiskSave {
    public static void main(String[] args) {
      OfflineCache c = new OfflineCache(Path.of(args[0]), "ws://x/v1/stream", Clock.systemUTC());
      String doc = "{\"flags\":[],\"pad\":\"" + "p".repeat(256 * 1024) + "\"}";
      boolean saved = c.saveNow(doc.getBytes(StandardCharsets.UTF_8), 6);
      System.out.println("saved=" + saved);
    }
  }

  static int countOf(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
