package dev.dynconfig.server;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.remote.HttpPollingSource;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
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
    List<URI> servers = List.of(ws(dead), ws(a.port()), ws(b.port()));
    RecordingSink sink = new RecordingSink();
    WebSocketSource client =
        new WebSocketSource(
            RemoteSettings.of(servers.get(0), ServerFixture.READ)
                .withRetry(FAST)
                .withPollingInterval(Duration.ofSeconds(30)),
            servers);
    closeables.add(client);
    client.start(sink); // tries the three in its own random order
    await("connected to a or b", () -> a.streamConnections() + b.streamConnections() == 1);
    // (Before the WebSocket is up, the polling fallback may already have fetched a or b.)
    DynconfigServer on = a.streamConnections() == 1 ? a : b;
    DynconfigServer other = on == a ? b : a;
    stop(on); // its client moves on, past the dead one if need be, to the other
    await("connected to the other server", () -> other.streamConnections() == 1);
    // From a (5) to b (7) the client simply moves up; a server behind the version the client
    // announces (b to a) republishes its content above it. Either way: never backwards, and the
    // client ends on what the other server serves.
    await(
        "holds the other server's version, 7 or above",
        () -> sink.currentVersion() >= 7 && sink.currentVersion() == other.version());
    await("status connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    assertThat(sink.applied()).isSorted().doesNotHaveDuplicates().contains(other.version());
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
    await("polled from the second server", () -> sink.applied().contains(9L));
  }
}
