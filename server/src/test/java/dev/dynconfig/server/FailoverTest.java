package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.sync.HttpPollingSource;
import dev.dynconfig.sync.RemoteSettings;
import dev.dynconfig.sync.WebSocketSource;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients given several servers ({@code url=a|b|c}): they use one, move to the next when it fails,
 * and never go back to an older version when the next server is behind.
 */
class FailoverTest {
  static final RetryOptions FAST =
      new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(200));

  @TempDir Path dir;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  DynconfigServer server(String name, long version, int port) throws Exception {
    Path f = dir.resolve(name + ".json");
    Files.writeString(f, "{\"version\": " + version + ", \"flags\": []}");
    DynconfigServer s = ServerFixture.builder(f).port(port).build().start();
    closeables.add(s);
    return s;
  }

  void stop(DynconfigServer s) {
    closeables.remove(s);
    s.close();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static URI ws(int port) {
    return URI.create("ws://127.0.0.1:" + port + "/v1/stream");
  }

  @Test
  void webSocket_skipsADeadServer_movesOnWhenItsServerDies_andNeverGoesBack() throws Exception {
    int dead = freePort();
    DynconfigServer a = server("a", 5, 0);
    DynconfigServer b = server("b", 7, 0);
    int aPort = a.port();
    List<URI> servers = List.of(ws(dead), ws(aPort), ws(b.port()));
    RecordingSink sink = new RecordingSink();
    WebSocketSource client =
        new WebSocketSource(
            RemoteSettings.of(servers.get(0), ServerFixture.READ)
                .withRetry(FAST)
                .withPollingInterval(Duration.ofSeconds(30)),
            servers);
    closeables.add(client);
    client.start(sink);
    await("served by a (version 5)", () -> sink.appliedCopy().contains(5L));

    stop(a); // a's clients move on to b
    await("served by b (version 7)", () -> sink.appliedCopy().contains(7L));

    stop(b);
    DynconfigServer behind = server("a-again", 6, aPort); // a is back, but behind the client
    await("connected to a again", () -> behind.streamConnections() == 1);
    // The client announces version 7; a server behind it republishes its content above it (never
    // a version below one a client holds), so the client takes a's content as version 8.
    await("a moved above the client's version", () -> sink.currentVersion() == 8);
    await("status connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    assertThat(sink.appliedCopy()).containsExactly(5L, 7L, 8L);
    assertThat(behind.version()).isEqualTo(8);
  }

  @Test
  void polling_movesToTheNextServerAfterAFailure() throws Exception {
    int dead = freePort();
    DynconfigServer b = server("b", 9, 0);
    List<URI> servers =
        List.of(
            URI.create("http://127.0.0.1:" + dead + "/v1/flags"),
            URI.create("http://127.0.0.1:" + b.port() + "/v1/flags"));
    RecordingSink sink = new RecordingSink();
    HttpPollingSource client =
        new HttpPollingSource(
            RemoteSettings.of(servers.get(0), ServerFixture.READ)
                .withRetry(FAST)
                .withPollingInterval(Duration.ofMillis(100)),
            servers);
    closeables.add(client);
    client.start(sink);
    await("polled from the second server", () -> sink.appliedCopy().contains(9L));
  }
}
