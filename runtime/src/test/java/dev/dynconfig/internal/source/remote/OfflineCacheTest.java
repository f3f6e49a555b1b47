package dev.dynconfig.internal.source.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineCacheTest {
  static final Clock T0 = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
  static final byte[] DOC = "{\"version\":7,\"flags\":[]}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void savedDocument_readsBack_withVersionAndAge() throws Exception {
    OfflineCache c = new OfflineCache(dir.resolve("c/x.json"), "ws://h/v1/stream", T0);
    assertThat(c.saveNow(DOC, 7)).isTrue();
    OfflineCache.Entry e = c.load().orElseThrow();
    assertThat(e.version()).isEqualTo(7);
    assertThat(new String(e.content(), StandardCharsets.UTF_8))
        .isEqualTo(new String(DOC, StandardCharsets.UTF_8));
    assertThat(e.isFresh(Clock.offset(T0, Duration.ofMinutes(4)), Duration.ofMinutes(5))).isTrue();
    assertThat(e.isFresh(Clock.offset(T0, Duration.ofMinutes(6)), Duration.ofMinutes(5))).isFalse();
  }

  @Test
  void backgroundSave_writesTheNewest() throws Exception {
    OfflineCache c = new OfflineCache(dir.resolve("x.json"), "u", T0);
    for (int v = 1; v <= 50; v++) {
      c.save(("{\"version\":" + v + "}").getBytes(StandardCharsets.UTF_8), v);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (c.load().map(OfflineCache.Entry::version).orElse(-1L) != 50) {
      assertThat(System.nanoTime()).as("cache reaches version 50").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void flush_writesThePendingSaveNow_soAShutdownLosesNothing() throws Exception {
    OfflineCache c = new OfflineCache(dir.resolve("x.json"), "u", T0);
    for (int v = 1; v <= 20; v++) {
      c.save(("{\"version\":" + v + "}").getBytes(StandardCharsets.UTF_8), v);
    }
    c.flush();
    // No waiting: flush returns only after the newest pending save is on disk (or already was).
    assertThat(c.load().orElseThrow().version()).isEqualTo(20);
  }

  @Test
  void olderPendingSave_neverOverwritesANewerOne() throws Exception {
    OfflineCache c = new OfflineCache(dir.resolve("x.json"), "u", T0);
    c.save("{\"version\":9}".getBytes(StandardCharsets.UTF_8), 9);
    c.flush();
    c.save("{\"version\":4}".getBytes(StandardCharsets.UTF_8), 4);
    c.flush();
    assertThat(c.load().orElseThrow().version()).isEqualTo(9);
  }

  @Test
  void corruptOrMissingFile_isIgnored() throws Exception {
    Path f = dir.resolve("x.json");
    OfflineCache c = new OfflineCache(f, "u", T0);
    assertThat(c.load()).isEmpty();
    Files.writeString(f, "{\"version\": 3, \"savedAt\": \"yesterday\", \"document\": {}}");
    assertThat(c.load()).isEmpty();
    Files.writeString(f, "{\"version\": 3, \"sav");
    assertThat(c.load()).isEmpty();
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertThat(c.load()).isEmpty();
  }

  @Test
  void readOnlyDirectory_isAWarningNotAFailure() throws Exception {
    assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
    Path ro = Files.createDirectory(dir.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
    assumeThat(Files.isWritable(ro)).as("not running as root").isFalse();
    OfflineCache c = new OfflineCache(ro.resolve("x.json"), "u", T0);
    assertThat(c.saveNow(DOC, 1)).isFalse();
    c.save(DOC, 2); // background: must not throw either
    assertThat(c.load()).isEmpty();
  }

  @Test
  void defaultFile_isPerServer_underTheHome_andIgnoresTheQuery() {
    Path a = OfflineCache.defaultFile(URI.create("ws://a:1/v1/stream"));
    Path b = OfflineCache.defaultFile(URI.create("ws://b:1/v1/stream"));
    Path a2 = OfflineCache.defaultFile(URI.create("ws://a:1/v1/stream?token=x"));
    assertThat(a).isNotEqualTo(b).isEqualTo(a2);
    assertThat(a.toString()).startsWith(System.getProperty("user.home")).contains(".dynconfig");
  }

  @Test
  void cacheFile_isOwnerOnly_andItsSourceHidesTheUrlsSecrets() throws Exception {
    assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
    URI url = URI.create("wss://ops:hunter2@flags.example:8443/v1/stream?token=abc123&env=prod");
    Path file = dir.resolve("new/cache.json");
    OfflineCache c = new OfflineCache(file, RedactedUrl.of(url), T0);
    assertThat(c.saveNow(DOC, 7)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    String saved = Files.readString(file);
    assertThat(saved).doesNotContain("hunter2").doesNotContain("abc123").doesNotContain("ops:");
    assertThat(saved).contains("wss://***@flags.example:8443/v1/stream?token=***&env=prod");
  }

  @Test
  void cacheSavedInTheFuture_isStale() throws Exception {
    OfflineCache c =
        new OfflineCache(dir.resolve("x.json"), "u", Clock.offset(T0, Duration.ofDays(1)));
    assertThat(c.saveNow(DOC, 7)).isTrue();
    OfflineCache.Entry e = c.load().orElseThrow();
    assertThat(e.isFresh(T0, Duration.ofDays(365))).isFalse();
    assertThat(e.isFresh(Clock.offset(T0, Duration.ofDays(2)), Duration.ofDays(365))).isTrue();
  }

  @Test
  void redactedUrl_hidesUserInfoAndSecretQueryValues_only() {
    assertThat(RedactedUrl.of(URI.create("https://u:p@h/v1/flags?password=x&access_token=y&a=b")))
        .isEqualTo("https://***@h/v1/flags?password=***&access_token=***&a=b");
    assertThat(RedactedUrl.of(URI.create("ws://127.0.0.1:80/v1/stream")))
        .isEqualTo("ws://127.0.0.1:80/v1/stream");
  }
}
