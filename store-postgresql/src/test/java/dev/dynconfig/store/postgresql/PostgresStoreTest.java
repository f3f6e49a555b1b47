package dev.dynconfig.store.postgresql;

import static dev.dynconfig.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dynconfig.internal.json.DocumentException;
import dev.dynconfig.server.store.DocumentChange;
import dev.dynconfig.server.store.HistoryEntry;
import dev.dynconfig.server.store.StoreUnavailableException;
import dev.dynconfig.server.store.StoredDocument;
import dev.dynconfig.server.store.VersionConflictException;
import dev.dynconfig.server.store.WriteRequest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStoreTest {
  @RegisterExtension static final EmbeddedDatabase db = new EmbeddedDatabase();
  final List<PostgresStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(PostgresStore::close);
  }

  /** A store that records every version it is told about. */
  record Server(PostgresStore store, List<Long> seen) {}

  Server open(String url) throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    PostgresStore s =
        PostgresStore.open(
            PostgresLocation.parse(url, null),
            PostgresStore.DEFAULT_DOCUMENT,
            Docs.empty(),
            d -> seen.add(d.version()),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30));
    opened.add(s);
    return new Server(s, seen);
  }

  @Test
  void open_createsVersionOne_andASecondServerFindsIt() throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    Server b = open(url);
    assertThat(a.store().current().version()).isEqualTo(1);
    assertThat(b.store().current().version()).isEqualTo(1);
    assertThat(Docs.versionIn(b.store().current().bytes())).isEqualTo(1);
    assertThat(historyVersions(url)).containsExactly(1L);
  }

  @Test
  void write_onOneServer_reachesTheOthersThroughNotify() throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    Server b = open(url);
    Server c = open(url);
    StoredDocument v2 =
        a.store()
            .submit(WriteRequest.of("alice", "test", "put k", Docs.put("k", "on")))
            .get(10, TimeUnit.SECONDS);
    assertThat(v2.version()).isEqualTo(2);
    await("b and c see version 2", () -> b.seen().contains(2L) && c.seen().contains(2L));
    assertThat(Docs.valueOf(c.store().current(), "k")).isEqualTo("on");
    assertThat(Docs.versionIn(c.store().current().bytes())).isEqualTo(2);
  }

  @Test
  void concurrentWriters_onThreeServers_loseNothing_andHistoryHasEveryWriteOnce() throws Exception {
    String url = db.newDatabase();
    List<Server> servers = List.of(open(url), open(url), open(url));
    int writers = 6;
    int writesEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  PostgresStore s = servers.get(writer % servers.size()).store();
                  for (int i = 0; i < writesEach; i++) {
                    String key = "w" + writer + "-" + i;
                    StoredDocument d =
                        s.submit(WriteRequest.of("w" + writer, "test", key, Docs.put(key, key)))
                            .join();
                    acknowledged.put(key, d.version());
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
    int total = writers * writesEach;
    // Every acknowledged write got its own version: 2..total+1, no gaps, no duplicates.
    List<Long> versions = new ArrayList<>(acknowledged.values());
    Collections.sort(versions);
    assertThat(versions).hasSize(total).doesNotHaveDuplicates();
    assertThat(versions.get(0)).isEqualTo(2);
    assertThat(versions.get(total - 1)).isEqualTo(total + 1);
    // No lost update: every key is in the final document.
    long last = total + 1;
    for (Server s : servers) {
      await("server reaches version " + last, () -> s.store().current().version() == last);
      StoredDocument fin = s.store().current();
      for (String key : acknowledged.keySet()) {
        assertThat(Docs.valueOf(fin, key)).as(key).isEqualTo(key);
      }
      // What each server published went strictly up.
      List<Long> seen = new ArrayList<>(s.seen());
      List<Long> sorted = new ArrayList<>(seen);
      Collections.sort(sorted);
      assertThat(seen).isEqualTo(sorted).doesNotHaveDuplicates();
    }
    // The history has every write exactly once, under the version it was acknowledged with.
    Map<String, Long> history = historyByChange(url);
    assertThat(history).hasSize(total + 1); // + "created"
    for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
      assertThat(history.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void ifMatch_withAnOlderVersion_isRefusedAndChangesNothing() throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    a.store().submit(WriteRequest.of("a", "test", "one", Docs.put("k", "1"))).join();
    assertThatThrownBy(
            () ->
                a.store()
                    .submit(WriteRequest.of("b", "test", "two", Docs.put("k", "2")).ifMatch(1))
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("version 2, not 1");
    StoredDocument ok =
        a.store().submit(WriteRequest.of("b", "test", "two", Docs.put("k", "2")).ifMatch(2)).join();
    assertThat(ok.version()).isEqualTo(3);
    assertThat(historyVersions(url)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void invalidDocument_isRolledBack_andTheVersionStays() throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    DocumentChange broken = (cur, next, tx) -> "{\"version\": 2, \"flags\": 7}".getBytes();
    DocumentChange validated =
        (cur, next, tx) -> {
          byte[] b = broken.apply(cur, next, tx);
          dev.dynconfig.internal.document.DocumentParser.parse(b, "edit");
          return b;
        };
    assertThatThrownBy(
            () -> a.store().submit(WriteRequest.of("a", "test", "bad", validated)).join())
        .cause()
        .isInstanceOf(DocumentException.class);
    assertThat(a.store().current().version()).isEqualTo(1);
    assertThat(historyVersions(url)).containsExactly(1L);
    assertThat(
            a.store()
                .submit(WriteRequest.of("a", "test", "good", Docs.put("k", "v")))
                .join()
                .version())
        .isEqualTo(2);
  }

  @Test
  void history_keepsTheNewestThousand_newestFirst_withBeforeAndAfter() throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    StoredDocument last = null;
    for (int i = 0; i < PostgresStore.HISTORY_KEPT + 5; i++) {
      last = a.store().submit(WriteRequest.of("a", "test", "w" + i, Docs.put("k", "" + i))).join();
    }
    List<HistoryEntry> h = a.store().history(2000, Long.MAX_VALUE).join();
    assertThat(h).hasSize(PostgresStore.HISTORY_KEPT);
    assertThat(h.get(0).version()).isEqualTo(last.version());
    assertThat(h.get(0).principal()).isEqualTo("a");
    assertThat(h.get(0).change()).isEqualTo("w" + (PostgresStore.HISTORY_KEPT + 4));
    assertThat(h.get(0).after()).isEqualTo(last.bytes());
    assertThat(Docs.versionIn(h.get(0).before())).isEqualTo(last.version() - 1);
    assertThat(h.get(h.size() - 1).version())
        .isEqualTo(last.version() - PostgresStore.HISTORY_KEPT + 1);
  }

  @Test
  void databaseRestart_readersKeepTheLastDocument_writesAreRefused_andItRecoversAlone()
      throws Exception {
    String url = db.newDatabase();
    Server a = open(url);
    Server b = open(url);
    a.store().submit(WriteRequest.of("a", "test", "before", Docs.put("k", "before"))).join();
    await("b at version 2", () -> b.store().current().version() == 2);
    db.stop();
    try {
      await("a notices", () -> !a.store().available());
      assertThatThrownBy(
              () ->
                  a.store().submit(WriteRequest.of("a", "test", "down", Docs.put("k", "x"))).join())
          .cause()
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + db.port());
      assertThat(a.store().problem()).contains("127.0.0.1:" + db.port());
      assertThat(Docs.valueOf(a.store().current(), "k")).isEqualTo("before");
      assertThat(b.store().current().version()).isEqualTo(2);
    } finally {
      db.startAgain();
    }
    await("a reconnects", () -> a.store().available());
    StoredDocument v3 =
        a.store().submit(WriteRequest.of("a", "test", "after", Docs.put("k", "after"))).join();
    assertThat(v3.version()).isEqualTo(3);
    await("b gets version 3 after its own reconnect", () -> b.store().current().version() == 3);
    assertThat(historyVersions(url)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void storeUrl_withAPassword_isRefused() {
    assertThatThrownBy(
            () -> PostgresLocation.parse("postgresql://h:5432/db?user=u&password=x", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DYNCONFIG_DB_PASSWORD");
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://u:x@h:5432/db", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials");
    assertThatThrownBy(() -> PostgresLocation.parse("mysql://h/db", null))
        .hasMessageContaining("not a PostgreSQL URL");
  }

  static List<Long> historyVersions(String url) throws Exception {
    return new ArrayList<>(historyByChange(url).values()).stream().sorted().toList();
  }

  static Map<String, Long> historyByChange(String url) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = db.connect(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT change, version FROM dynconfig_history")) {
      while (rs.next()) {
        Long prev = out.put(rs.getString(1), rs.getLong(2));
        assertThat(prev).as("history entry '%s' twice", rs.getString(1)).isNull();
      }
    }
    return out;
  }
}
