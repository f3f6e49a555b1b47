package dev.dynconfig.store.postgresql;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dynconfig.RetryOptions;
import dev.dynconfig.internal.source.remote.RemoteSettings;
import dev.dynconfig.internal.source.remote.WebSocketSource;
import dev.dynconfig.server.DynconfigServer;
import dev.dynconfig.server.StoreTransfer;
import dev.dynconfig.testing.RecordingSink;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Several real servers on one real PostgreSQL, with real WebSocket clients. */
class ReplicatedServersTest {
  static final RetryOptions FAST =
      new RetryOptions(3, Duration.ofMillis(20), Duration.ofMillis(300));
  @RegisterExtension static final EmbeddedDatabase db = new EmbeddedDatabase();
  final List<AutoCloseable> closeables = new ArrayList<>();
  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  DynconfigServer server(String url) throws Exception {
    DynconfigServer s =
        DynconfigServer.builder()
            .store(url)
            .host("127.0.0.1")
            .port(0)
            .readToken(Http.READ)
            .adminToken(Http.ADMIN)
            .build()
            .start();
    closeables.add(s);
    return s;
  }

  RecordingSink client(DynconfigServer s) {
    URI u = URI.create("ws://127.0.0.1:" + s.port() + "/v1/stream");
    RecordingSink sink = new RecordingSink();
    WebSocketSource ws =
        new WebSocketSource(
            RemoteSettings.of(u, Http.READ)
                .withRetry(FAST)
                .withPollingInterval(Duration.ofSeconds(30)));
    closeables.add(ws);
    ws.start(sink);
    return sink;
  }

  static JsonNode json(String s) throws Exception {
    return Docs.MAPPER.readTree(s);
  }

  static long versionOf(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Docs.MAPPER.readTree(r.body()).path("version").asLong();
  }

  @Test
  void twoAndThreeServers_aWriteOnOneReachesTheClientsOfAll() throws Exception {
    String url = db.newDatabase();
    List<DynconfigServer> servers = new ArrayList<>(List.of(server(url), server(url)));
    List<RecordingSink> clients = new ArrayList<>();
    for (DynconfigServer s : servers) {
      clients.add(client(s));
      clients.add(client(s));
    }
    long v2 = versionOf(Http.putConfig(servers.get(0).port(), "a", "1"));
    for (RecordingSink c : clients) {
      await("every client of both servers at " + v2, () -> c.currentVersion() == v2);
    }
    servers.add(server(url)); // a third server joins
    clients.add(client(servers.get(2)));
    long v3 = versionOf(Http.putConfig(servers.get(2).port(), "b", "2"));
    long v4 = versionOf(Http.putConfig(servers.get(1).port(), "c", "3"));
    assertThat(v3).isGreaterThan(v2);
    assertThat(v4).isGreaterThan(v3);
    for (RecordingSink c : clients) {
      await("every client of three servers at " + v4, () -> c.currentVersion() == v4);
      List<Long> seen = c.applied();
      List<Long> sorted = new ArrayList<>(seen);
      Collections.sort(sorted);
      assertThat(seen).isEqualTo(sorted).doesNotHaveDuplicates();
    }
    for (DynconfigServer s : servers) {
      JsonNode doc =
          Docs.MAPPER.readTree(Http.send(s.port(), "GET", "/v1/flags", Http.READ, null).body());
      assertThat(doc.path("version").asLong()).isEqualTo(v4);
      assertThat(doc.path("config").path("t").path("a").asText()).isEqualTo("1");
      assertThat(doc.path("config").path("t").path("c").asText()).isEqualTo("3");
    }
  }

  @Test
  void concurrentWritersOnDifferentServers_loseNothing_andHistoryHasEachOnce() throws Exception {
    String url = db.newDatabase();
    List<DynconfigServer> servers = List.of(server(url), server(url), server(url));
    int writers = 6;
    int each = 10;
    Map<String, Long> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  int port = servers.get(writer % servers.size()).port();
                  for (int i = 0; i < each; i++) {
                    String key = "w" + writer + "-" + i;
                    acked.put(key, versionOf(Http.putConfig(port, key, key)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> versions = new ArrayList<>(acked.values());
    assertThat(versions).hasSize(writers * each).doesNotHaveDuplicates();
    long last = Collections.max(versions);
    assertThat(last).isEqualTo(1 + writers * each);
    for (DynconfigServer s : servers) {
      await("server at " + last, () -> s.version() == last);
      JsonNode t =
          Docs.MAPPER
              .readTree(Http.send(s.port(), "GET", "/v1/flags", Http.READ, null).body())
              .path("config")
              .path("t");
      for (String key : acked.keySet()) {
        assertThat(t.path(key).asText()).as(key).isEqualTo(key);
      }
    }
    try (Connection c = db.connect(url);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT version), min(version), max(version)"
                    + " FROM dynconfig_history WHERE source = 'api'")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(writers * each);
      assertThat(rs.getLong(2)).isEqualTo(writers * each);
      assertThat(rs.getLong(3)).isEqualTo(2);
      assertThat(rs.getLong(4)).isEqualTo(last);
    }
  }

  @Test
  void databaseDown_serversKeepServing_refuseWrites_reportIt_andRecover() throws Exception {
    String url = db.newDatabase();
    DynconfigServer a = server(url);
    DynconfigServer b = server(url);
    RecordingSink client = client(b);
    long v2 = versionOf(Http.putConfig(a.port(), "k", "before"));
    await("client at " + v2, () -> client.currentVersion() == v2);
    assertThat(json(Http.send(a.port(), "GET", "/v1/health", null, null).body()))
        .isEqualTo(json("{\"status\":\"ok\",\"version\":" + v2 + ",\"store\":\"postgresql\"}"));
    db.stop();
    try {
      await("a reports the store unavailable", () -> !a.storeAvailable());
      HttpResponse<String> health = Http.send(a.port(), "GET", "/v1/health", null, null);
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(json(health.body()).path("status").asText()).isEqualTo("unavailable");
      assertThat(health.body()).doesNotContain("127.0.0.1").doesNotContain(url);
      HttpResponse<String> write = Http.putConfig(a.port(), "k", "during");
      assertThat(write.statusCode()).isEqualTo(503);
      assertThat(json(write.body())).isEqualTo(json("{\"error\":\"store unavailable\"}"));
      HttpResponse<String> read = Http.send(b.port(), "GET", "/v1/flags", Http.READ, null);
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(read.headers().firstValue("ETag")).hasValue("\"" + v2 + "\"");
      assertThat(b.streamConnections()).isEqualTo(1);
    } finally {
      db.startAgain();
    }
    await("a recovers", a::storeAvailable);
    long v3 = versionOf(Http.putConfig(a.port(), "k", "after"));
    assertThat(v3).isEqualTo(v2 + 1);
    await("b's client gets the write made on a", () -> client.currentVersion() == v3);
    assertThat(Http.send(b.port(), "GET", "/v1/health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void historyIfMatchAndRevert_areTheSameOnEveryServer() throws Exception {
    String url = db.newDatabase();
    DynconfigServer a = server(url);
    DynconfigServer b = server(url);
    long seen = a.version();
    long v2 =
        versionOf(
            Http.send(
                a.port(),
                "PUT",
                "/v1/admin/flags/checkout",
                Http.ADMIN,
                "{\"defaultValue\": true}"));
    await("b at " + v2, () -> b.version() == v2);

    // b shows the change a made, with who and which item.
    JsonNode newest =
        json(Http.send(b.port(), "GET", "/v1/admin/history", Http.ADMIN, null).body())
            .path("changes")
            .get(0);
    assertThat(newest.path("version").asLong()).isEqualTo(v2);
    assertThat(newest.path("id").asLong()).isEqualTo(v2);
    assertThat(newest.path("action").asText()).isEqualTo("PUT flags/checkout");
    assertThat(newest.path("principal").asText()).isNotBlank();
    assertThat(newest.path("items").toString()).contains("checkout");

    // If-Match on b, based on the version before a's write: the same flag conflicts, another not.
    HttpResponse<String> stale =
        Http.sendIfMatch(
            b.port(), "PUT", "/v1/admin/flags/checkout", seen, "{\"defaultValue\": false}");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(json(stale.body()).path("currentVersion").asLong()).isEqualTo(v2);
    assertThat(json(stale.body()).path("change").path("version").asLong()).isEqualTo(v2);
    assertThat(
            Http.sendIfMatch(
                    b.port(), "PUT", "/v1/admin/flags/search", seen, "{\"defaultValue\": true}")
                .statusCode())
        .isEqualTo(200);

    // Revert a's change through b: the flag is gone everywhere, as a new version.
    HttpResponse<String> revert =
        Http.send(b.port(), "POST", "/v1/admin/history/" + v2 + "/revert", Http.ADMIN, null);
    long v4 = versionOf(revert);
    await("a at " + v4, () -> a.version() == v4);
    JsonNode doc = json(Http.send(a.port(), "GET", "/v1/flags", Http.READ, null).body());
    assertThat(doc.path("flags").toString()).doesNotContain("checkout").contains("search");
  }

  @Test
  void importAndExport_moveTheDocumentWithItsVersion() throws Exception {
    String url = db.newDatabase();
    Path in = dir.resolve("in.json");
    Files.writeString(
        in, "{\"version\": 40, \"flags\": [{\"key\": \"f\", \"defaultValue\": true}]}");
    assertThat(StoreTransfer.run(new String[] {"import", in.toString(), "--store", url})).isZero();
    DynconfigServer s = server(url);
    assertThat(s.version()).isEqualTo(40);
    Path out = dir.resolve("out.json");
    assertThat(StoreTransfer.run(new String[] {"export", out.toString(), "--store", url})).isZero();
    JsonNode exported = Docs.MAPPER.readTree(out.toFile());
    assertThat(exported.path("version").asLong()).isEqualTo(40);
    assertThat(exported.path("flags").get(0).path("key").asText()).isEqualTo("f");
    // An older file cannot take the store backwards: it becomes the next version.
    Files.writeString(in, "{\"version\": 3, \"flags\": []}");
    assertThat(StoreTransfer.run(new String[] {"import", in.toString(), "--store", url})).isZero();
    await("server at 41", () -> s.version() == 41);
  }
}
