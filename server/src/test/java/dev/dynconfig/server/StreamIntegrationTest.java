package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.READ;
import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.ConnectionStatus;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.remote.HttpPollingSource;
import dev.dynconfig.internal.source.remote.OfflineCache;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.testing.RecordingSink;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real server, real clients, loopback. */
class StreamIntegrationTest {
  static final RetryOptions FAST =
      new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(200));

  @TempDir Path dir;
  DynconfigServer server;
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  DynconfigServer start(int port) throws Exception {
    Path f = dir.resolve("flags.json");
    if (!Files.exists(f)) {
      Files.writeString(f, ServerHttpTest.NATIVE);
    }
    server = ServerFixture.builder(f).port(port).build().start();
    return server;
  }

  RemoteSettings ws(String token) {
    return RemoteSettings.of(URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream"), token)
        .withRetry(FAST)
        .withPollingInterval(Duration.ofSeconds(30));
  }

  <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  void put(String key, int rollout) throws Exception {
    put(ServerFixture.HTTP, key, rollout);
  }

  void put(java.net.http.HttpClient client, String key, int rollout) throws Exception {
    assertThat(
            ServerFixture.send(
                    client,
                    server,
                    "PUT",
                    "/v1/admin/flags/" + key,
                    ADMIN,
                    "{\"defaultValue\": false, \"rolloutPercentage\": " + rollout + "}")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void webSocket_getsTheSnapshotOnConnect_thenEveryChangeInOrder() throws Exception {
    start(0);
    RecordingSink sink = new RecordingSink();
    WebSocketSource src = track(new WebSocketSource(ws(READ)));
    src.start(sink);
    await("first snapshot", () -> sink.currentVersion() == 5);
    await("connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    for (int i = 0; i < 20; i++) {
      put("f" + i, i);
    }
    await("all changes", () -> sink.currentVersion() == 25);
    assertThat(sink.offered()).isSorted().doesNotHaveDuplicates();
    assertThat(sink.content()).contains("\"f19\"");
    assertThat(sink.statuses()).startsWith(ConnectionStatus.CONNECTING, ConnectionStatus.CONNECTED);
  }

  @Test
  void broadcast_givesEveryClientOnEveryEventLoop_eachVersionOnce_asTheSameCompleteMessage()
      throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    server = ServerFixture.builder(f).ioThreads(2).build().start();
    List<List<String>> received = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // spread over both I/O event loops
      List<String> messages = new CopyOnWriteArrayList<>();
      received.add(messages);
      WebSocket client =
          ServerFixture.HTTP
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + READ)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream?version=5"),
                  new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(
                        WebSocket ws, CharSequence data, boolean last) {
                      text.append(data);
                      if (last) {
                        messages.add(text.toString());
                        text.setLength(0);
                      }
                      ws.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      track(() -> client.abort());
    }
    await("all registered", () -> server.streamConnections() == 6);

    for (int v = 6; v <= 8; v++) {
      put("f" + v, v);
    }

    await("every client has version 8", () -> received.stream().allMatch(m -> m.size() == 3));
    for (List<String> messages : received) {
      assertThat(messages).isEqualTo(received.get(0));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(received.get(0).get(i))
          .startsWith("{\"type\":\"snapshot\",\"version\":" + (6 + i) + ",\"document\":{")
          .contains("\"f" + (6 + i) + "\"");
    }
  }

  @Test
  void resumeWithTheCurrentVersion_sendsNothing() throws Exception {
    start(0);
    RecordingSink sink = new RecordingSink(5);
    WebSocketSource src = track(new WebSocketSource(ws(READ)));
    src.start(sink);
    await("connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    put("x", 1);
    await("the change", () -> sink.currentVersion() == 6);
    assertThat(sink.offered()).containsExactly(6L);
  }

  @Test
  void wrongToken_isRefused_andTheStatusEndsInErrorWithTheReason() throws Exception {
    start(0);
    RecordingSink sink = new RecordingSink();
    WebSocketSource src = track(new WebSocketSource(ws("nope")));
    src.start(sink);
    await("error", () -> sink.lastStatus() == ConnectionStatus.ERROR);
    assertThat(sink.lastError()).contains("401");
    assertThat(sink.offered()).isEmpty();
  }

  @Test
  void httpPolling_usesEtags_andPicksUpChanges() throws Exception {
    start(0);
    RecordingSink sink = new RecordingSink();
    HttpPollingSource src =
        track(
            new HttpPollingSource(
                RemoteSettings.of(
                        URI.create("http://127.0.0.1:" + server.port() + "/v1/flags"), READ)
                    .withPollingInterval(Duration.ofMillis(50))
                    .withRetry(FAST)));
    src.start(sink);
    await("first document", () -> sink.currentVersion() == 5);
    await("connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
    Thread.sleep(300); // several polls: all 304
    assertThat(sink.offered()).containsExactly(5L);
    put("x", 1);
    await("the change", () -> sink.currentVersion() == 6);
    src.refresh();
    assertThat(sink.offered()).containsExactly(5L, 6L);
  }

  @Test
  void handEdit_reachesConnectedClients() throws Exception {
    start(0);
    RecordingSink sink = new RecordingSink();
    track(new WebSocketSource(ws(READ))).start(sink);
    await("first snapshot", () -> sink.currentVersion() == 5);
    Files.writeString(
        dir.resolve("flags.json"),
        ServerHttpTest.NATIVE.replace("\"rolloutPercentage\": 10", "\"rolloutPercentage\": 77"));
    await("the hand edit", () -> sink.currentVersion() == 6);
    assertThat(sink.content()).contains("77");
  }

  @Test
  void serverRestartedWhileWritesContinue_clientsConvergeAndNeverGoBackwards() throws Exception {
    start(0);
    int port = server.port();
    List<RecordingSink> sinks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RecordingSink sink = new RecordingSink();
      sinks.add(sink);
      track(new WebSocketSource(ws(READ).withPollingInterval(Duration.ofMillis(100)))).start(sink);
    }
    int n = 0;
    for (int round = 0; round < 3; round++) {
      java.net.http.HttpClient client =
          java.net.http.HttpClient.newBuilder()
              .version(java.net.http.HttpClient.Version.HTTP_1_1)
              .build();
      for (int i = 0; i < 5; i++) {
        put(client, "k" + (n++), n % 100);
      }
      server.close();
      put_offline_is_impossible();
      server = ServerFixture.builder(dir.resolve("flags.json")).port(port).build().start();
    }
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < 5; i++) {
      put(client, "k" + (n++), n % 100);
    }
    long last = server.version();
    for (RecordingSink s : sinks) {
      await("client converges to " + last, () -> s.currentVersion() == last);
      assertThat(s.applied()).isSorted().doesNotHaveDuplicates();
      assertThat(s.offered()).isSorted().doesNotHaveDuplicates();
    }
  }

  private void put_offline_is_impossible() {
    // Writes only happen through a running server; nothing to do while it is down.
  }

  @Test
  void malformedAndOversizedClientFrames_closeOnlyThatConnection() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, ServerHttpTest.NATIVE);
    server = ServerFixture.builder(f).maxFrameBytes(1024).build().start();
    RecordingSink good = new RecordingSink();
    track(new WebSocketSource(ws(READ))).start(good);
    await("good client connected", () -> good.lastStatus() == ConnectionStatus.CONNECTED);

    for (String payload : new String[] {"garbage", "x".repeat(10_000)}) {
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      WebSocket bad =
          ServerFixture.HTTP
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + READ)
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream?version=5"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                      closed.complete(code);
                      return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                      closed.complete(-1);
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      bad.sendText(payload, true);
      int code = closed.get(10, TimeUnit.SECONDS);
      assertThat(code).as("close code for %d chars", payload.length()).isIn(1003, 1009, -1);
    }
    put("after", 1);
    await("good client still served", () -> good.currentVersion() == 6);
  }

  @Test
  void clientStartedWhileServerIsDown_connectsWhenItComesUp() throws Exception {
    start(0);
    int port = server.port();
    server.close();
    RecordingSink sink = new RecordingSink();
    track(new WebSocketSource(ws(READ))).start(sink);
    await("error after max attempts", () -> sink.lastStatus() == ConnectionStatus.ERROR);
    assertThat(sink.lastError()).contains("cannot connect");
    server = ServerFixture.builder(dir.resolve("flags.json")).port(port).build().start();
    await("connected", () -> sink.currentVersion() == 5);
    await("status connected", () -> sink.lastStatus() == ConnectionStatus.CONNECTED);
  }

  @Test
  void acceptedDocuments_landInTheOfflineCache() throws Exception {
    start(0);
    OfflineCache cache = new OfflineCache(dir.resolve("cache.json"), "test", Clock.systemUTC());
    RecordingSink sink = new RecordingSink();
    track(new WebSocketSource(ws(READ).withCache(cache))).start(sink);
    await("first snapshot", () -> sink.currentVersion() == 5);
    put("x", 1);
    await("cache at 6", () -> cache.load().map(OfflineCache.Entry::version).orElse(-1L) == 6);
  }

  @Test
  void streamUpdatesAreNeverSentOutOfOrder_underConcurrentConnects() throws Exception {
    start(0);
    CopyOnWriteArrayList<RecordingSink> sinks = new CopyOnWriteArrayList<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 30; i++) {
                  put("c" + i, i);
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    writer.start();
    for (int i = 0; i < 10; i++) {
      RecordingSink s = new RecordingSink();
      sinks.add(s);
      track(new WebSocketSource(ws(READ))).start(s);
    }
    writer.join();
    for (RecordingSink s : sinks) {
      await("converged", () -> s.currentVersion() == 35);
      assertThat(s.offered()).isSorted().doesNotHaveDuplicates();
    }
  }

  static ByteBuffer bytes(int n) {
    return ByteBuffer.allocate(n);
  }
}
