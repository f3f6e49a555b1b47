package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.ADMIN_TOKEN;
import static dev.dynconfig.server.ServerFixture.EDITOR_TOKEN;
import static dev.dynconfig.server.ServerFixture.READER_TOKEN;
import static dev.dynconfig.server.ServerFixture.send;
import static dev.dynconfig.server.ServerFixture.sendIfMatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles, the change history, revert and {@code If-Match} through the admin API. */
class HistoryApiTest {
  static final ObjectMapper M = new ObjectMapper();
  static final String DOC =
      """
      {"version": 5, "flags": [{"key": "checkout", "defaultValue": false},
                               {"key": "search", "defaultValue": false}],
       "tests": [], "config": {"ui": {"theme": "dark"}}}
      """;

  @TempDir Path dir;
  DynconfigServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  DynconfigServer start(DynconfigServer.Builder b) throws Exception {
    server = b.build().start();
    return server;
  }

  Path file() throws Exception {
    Path f = dir.resolve("flags.json");
    if (!Files.exists(f)) {
      Files.writeString(f, DOC);
    }
    return f;
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return M.readTree(r.body());
  }

  @Test
  void roles_readerReads_editorEdits_onlyAdminReplacesTheDocument() throws Exception {
    start(ServerFixture.builder(file()));
    assertThat(send(server, "GET", "/v1/flags", READER_TOKEN, null).statusCode()).isEqualTo(200);
    assertThat(send(server, "GET", "/v1/admin/history", READER_TOKEN, null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> r =
        send(server, "PUT", "/v1/admin/flags/checkout", READER_TOKEN, "{\"defaultValue\": true}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).path("error").asText()).contains("rita").contains("needs editor");
    assertThat(
            send(server, "PUT", "/v1/admin/flags/checkout", EDITOR_TOKEN, "{\"defaultValue\": 1}")
                .statusCode())
        .as("an editor may write, and the engine still validates")
        .isEqualTo(400);
    assertThat(
            send(server, "PUT", "/v1/admin/config/ui/theme", EDITOR_TOKEN, "\"light\"")
                .statusCode())
        .isEqualTo(200);
    assertThat(send(server, "PUT", "/v1/admin/document", EDITOR_TOKEN, DOC).statusCode())
        .isEqualTo(403);
    assertThat(send(server, "PUT", "/v1/admin/%64ocument", EDITOR_TOKEN, DOC).statusCode())
        .as("a percent-encoded path is checked as the router decodes it")
        .isEqualTo(403);
    assertThat(ServerFixture.rawStatus(server, "PUT", "/v1/admin/flags/%zz", EDITOR_TOKEN))
        .as("malformed percent-encoding")
        .isEqualTo(400);
    assertThat(ServerFixture.rawStatus(server, "PUT", "/v1/admin/flags/%zz", READER_TOKEN))
        .isEqualTo(403);
    assertThat(send(server, "PUT", "/v1/admin/document", ADMIN_TOKEN, DOC).statusCode())
        .isEqualTo(200);
    assertThat(send(server, "POST", "/v1/admin/history/1/revert", READER_TOKEN, null).statusCode())
        .isEqualTo(403);
    assertThat(server.version()).isEqualTo(7);
  }

  @Test
  void history_recordsWhoWhenSourceAndBeforeAfter_ofEachChange() throws Exception {
    start(ServerFixture.builder(file()));
    send(server, "PUT", "/v1/admin/flags/checkout", EDITOR_TOKEN, "{\"defaultValue\": true}");
    send(server, "DELETE", "/v1/admin/config/ui/theme", ADMIN, null);
    JsonNode h = json(send(server, "GET", "/v1/admin/history", READER_TOKEN, null));
    JsonNode changes = h.path("changes");
    assertThat(changes).hasSize(2);
    JsonNode newest = changes.get(0);
    assertThat(newest.path("principal").asText()).isEqualTo("admin-token");
    assertThat(newest.path("version").asLong()).isEqualTo(7);
    assertThat(newest.path("items").get(0).path("kind").asText()).isEqualTo("config");
    assertThat(newest.path("items").get(0).path("before").asText()).isEqualTo("dark");
    assertThat(newest.path("items").get(0).path("after").isNull()).isTrue();
    JsonNode first = changes.get(1);
    assertThat(first.path("principal").asText()).isEqualTo("ed");
    assertThat(first.path("source").asText()).isEqualTo("api");
    assertThat(first.path("action").asText()).isEqualTo("PUT flags/checkout");
    assertThat(first.path("previousVersion").asLong()).isEqualTo(5);
    assertThat(first.path("at").asText()).isNotEmpty();
    JsonNode item = first.path("items").get(0);
    assertThat(item.path("key").asText()).isEqualTo("checkout");
    assertThat(item.path("before").path("defaultValue").asBoolean()).isFalse();
    assertThat(item.path("after").path("defaultValue").asBoolean()).isTrue();

    JsonNode paged =
        json(send(server, "GET", "/v1/admin/history?limit=1&before=2", READER_TOKEN, null));
    assertThat(paged.path("changes")).hasSize(1);
    assertThat(paged.path("changes").get(0).path("principal").asText()).isEqualTo("ed");
  }

  @Test
  void handEdits_areInTheHistoryWithSourceFile() throws Exception {
    Path f = file();
    start(ServerFixture.builder(f));
    Files.writeString(
        f,
        DOC.replace("\"search\", \"defaultValue\": false", "\"search\", \"defaultValue\": true"));
    server.checkFileNow();
    JsonNode c = json(send(server, "GET", "/v1/admin/history", READER_TOKEN, null)).path("changes");
    assertThat(c).hasSize(1);
    assertThat(c.get(0).path("source").asText()).isEqualTo("file");
    assertThat(c.get(0).path("items")).hasSize(1);
    assertThat(c.get(0).path("items").get(0).path("key").asText()).isEqualTo("search");
  }

  @Test
  void revert_putsTheItemBack_asANewAuditedChange() throws Exception {
    start(ServerFixture.builder(file()));
    send(server, "PUT", "/v1/admin/flags/new", EDITOR_TOKEN, "{\"defaultValue\": true}");
    send(server, "PUT", "/v1/admin/flags/checkout", EDITOR_TOKEN, "{\"defaultValue\": true}");
    long createdNew =
        json(send(server, "GET", "/v1/admin/history", READER_TOKEN, null))
            .path("changes")
            .get(1)
            .path("id")
            .asLong();

    HttpResponse<String> r =
        send(server, "POST", "/v1/admin/history/" + createdNew + "/revert", ADMIN_TOKEN, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = json(send(server, "GET", "/v1/flags", READER_TOKEN, null));
    assertThat(doc.path("flags").findValuesAsText("key")).containsExactly("checkout", "search");
    assertThat(doc.path("flags").get(0).path("defaultValue").asBoolean())
        .as("the later change to another flag stays")
        .isTrue();
    JsonNode newest =
        json(send(server, "GET", "/v1/admin/history", READER_TOKEN, null)).path("changes").get(0);
    assertThat(newest.path("principal").asText()).isEqualTo("ada");
    assertThat(newest.path("action").asText()).startsWith("revert change " + createdNew);
    assertThat(newest.path("items").get(0).path("after").isNull()).isTrue();

    long afterRevert = server.version();
    HttpResponse<String> redo =
        send(
            server,
            "POST",
            "/v1/admin/history/" + createdNew + "/revert?to=after",
            EDITOR_TOKEN,
            null);
    assertThat(redo.statusCode()).isEqualTo(200);
    assertThat(server.version()).isEqualTo(afterRevert + 1);
    assertThat(
            send(server, "POST", "/v1/admin/history/999/revert", EDITOR_TOKEN, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void ifMatch_refusesAnEditOfAnItemChangedSince_butNotOfAnUntouchedOne() throws Exception {
    start(ServerFixture.builder(file()));
    long seen = server.version(); // both operators opened version 5
    HttpResponse<String> first =
        sendIfMatch(
            server,
            "PUT",
            "/v1/admin/flags/checkout",
            EDITOR_TOKEN,
            seen,
            "{\"defaultValue\": true}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("ETag")).hasValue("\"6\"");

    HttpResponse<String> stale =
        sendIfMatch(
            server,
            "PUT",
            "/v1/admin/flags/checkout",
            ADMIN_TOKEN,
            seen,
            "{\"defaultValue\": false}");
    assertThat(stale.statusCode()).isEqualTo(409);
    JsonNode body = json(stale);
    assertThat(body.path("error").asText()).contains("flags/checkout").contains("ed");
    assertThat(body.path("currentVersion").asLong()).isEqualTo(6);
    assertThat(body.path("change").path("principal").asText()).isEqualTo("ed");
    assertThat(server.version()).as("nothing was overwritten").isEqualTo(6);

    assertThat(
            sendIfMatch(
                    server,
                    "PUT",
                    "/v1/admin/flags/search",
                    ADMIN_TOKEN,
                    seen,
                    "{\"defaultValue\": true}")
                .statusCode())
        .as("another flag changed since 5 is no conflict")
        .isEqualTo(200);
    assertThat(
            sendIfMatch(server, "PUT", "/v1/admin/document", ADMIN_TOKEN, seen, DOC).statusCode())
        .as("the whole document changed since 5")
        .isEqualTo(409);
    assertThat(
            sendIfMatch(server, "PUT", "/v1/admin/flags/search", ADMIN_TOKEN, 99, "{}")
                .statusCode())
        .isEqualTo(409);
    HttpResponse<String> bad =
        ServerFixture.HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        "http://127.0.0.1:" + server.port() + "/v1/admin/flags/search"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("If-Match", "seven")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).path("error").asText()).contains("If-Match");
  }

  @Test
  void concurrentEditsOfOneFlag_fromTheSameVersion_exactlyOneWins() throws Exception {
    start(ServerFixture.builder(file()));
    long seen = server.version();
    int n = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int i = 0; i < n; i++) {
        String body = "{\"defaultValue\": true, \"name\": \"writer " + i + "\"}";
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return sendIfMatch(
                          server, "PUT", "/v1/admin/flags/checkout", EDITOR_TOKEN, seen, body)
                      .statusCode();
                }));
      }
      go.countDown();
      java.util.List<Integer> statuses = new java.util.ArrayList<>();
      for (var f : results) {
        statuses.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(statuses).containsOnly(200, 409);
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
      assertThat(server.version()).isEqualTo(seen + 1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void history_survivesARestart_andKeepsOnlyTheNewestChanges() throws Exception {
    Path f = file();
    start(ServerFixture.builder(f).historySize(3));
    for (int i = 0; i < 5; i++) {
      send(server, "PUT", "/v1/admin/config/ui/n", EDITOR_TOKEN, Integer.toString(i));
    }
    server.close();
    start(ServerFixture.builder(f).historySize(3));
    JsonNode h = json(send(server, "GET", "/v1/admin/history", READER_TOKEN, null));
    assertThat(h.path("changes")).hasSize(3);
    assertThat(h.path("changes").get(0).path("items").get(0).path("after").asInt()).isEqualTo(4);
    assertThat(h.path("coveredFrom").asLong()).isEqualTo(7);
    // An edit based on version 7 still gets checked against the kept changes after the restart.
    assertThat(
            sendIfMatch(server, "PUT", "/v1/admin/config/ui/n", EDITOR_TOKEN, 7, "9").statusCode())
        .isEqualTo(409);
    assertThat(
            sendIfMatch(server, "PUT", "/v1/admin/config/ui/theme", EDITOR_TOKEN, 7, "\"x\"")
                .statusCode())
        .isEqualTo(200);
  }
}
