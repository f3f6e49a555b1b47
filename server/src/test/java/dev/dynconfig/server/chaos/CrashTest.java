package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at the worst moment of a write: the new document is on disk in the temporary file,
 * forced, and not yet renamed over the flag file ({@link CrashingServerMain} halts the server JVM
 * exactly there). The file is then the old document byte for byte, the write was never
 * acknowledged, and the restarted server serves the old version, removes the leftover temporary and
 * accepts the write again.
 */
class CrashTest {
  static final ObjectMapper M = new ObjectMapper();

  @TempDir Path dir;
  Process server;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      ForkedServer.kill(server);
    }
  }

  @Test
  void crashBetweenWriteAndRename_leavesTheOldDocument_neverATornOne() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    // First start writes the version sidecar; a clean state to crash from.
    server = ForkedServer.start(file, port, log, List.of());
    ForkedServer.kill(server);
    byte[] before = Files.readAllBytes(file);

    server = ForkedServer.start(CrashingServerMain.class.getName(), file, port, log, List.of());
    Process crashing = server;
    assertThatThrownBy(
            () ->
                ForkedServer.RawHttp.request(
                    port, "PUT", "/v1/admin/flags/new-one", ADMIN, "{\"defaultValue\": true}"))
        .as("the write is never acknowledged")
        .isInstanceOf(IOException.class);
    assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(crashing.exitValue()).isEqualTo(CrashingServerMain.EXIT_CODE);

    assertThat(Files.readAllBytes(file)).as("the old document, byte for byte").isEqualTo(before);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("the forced temporary is left behind by the crash")
          .anyMatch(n -> n.startsWith(".flags.json.tmp-"));
    }

    server = ForkedServer.start(file, port, log, List.of());
    var served = ForkedServer.RawHttp.request(port, "GET", "/v1/flags", READ, null);
    assertThat(M.readTree(served.body()).get("version").asLong()).isEqualTo(1);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("leftover temporaries are removed at start-up")
          .noneMatch(n -> n.contains(".tmp-"));
    }
    var put =
        ForkedServer.RawHttp.request(
            port, "PUT", "/v1/admin/flags/new-one", ADMIN, "{\"defaultValue\": true}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(M.readTree(Files.readAllBytes(file)).toString()).contains("new-one");
  }

  /**
   * What a power loss mid-append leaves (the history's last line cut short, after entries that were
   * forced): the server starts, keeps the complete entries and records the next write after them.
   */
  @Test
  void aTornLastHistoryLine_isSkippedAtStartUp_andTheHistoryGoesOn() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    server = ForkedServer.start(file, port, log, List.of());
    var first =
        ForkedServer.RawHttp.request(
            port, "PUT", "/v1/admin/flags/kept", ADMIN, "{\"defaultValue\": true}");
    assertThat(first.status()).isEqualTo(200);
    ForkedServer.kill(server);
    Path history = dir.resolve(".flags.json.dynconfig-history");
    Files.writeString(
        history,
        "{\"id\":2,\"version\":3,\"previousVersion\":2,\"at\":\"2026-",
        StandardOpenOption.APPEND);

    server = ForkedServer.start(file, port, log, List.of());
    var put =
        ForkedServer.RawHttp.request(
            port, "PUT", "/v1/admin/flags/after", ADMIN, "{\"defaultValue\": true}");
    assertThat(put.status()).isEqualTo(200);
    var changes =
        M.readTree(
                ForkedServer.RawHttp.request(port, "GET", "/v1/admin/history", ADMIN, null).body())
            .path("changes");
    assertThat(changes.findValuesAsText("action"))
        .containsExactly("PUT flags/after", "PUT flags/kept");
    assertThat(Files.readString(log)).contains("torn last line").contains(history.toString());
  }
}
