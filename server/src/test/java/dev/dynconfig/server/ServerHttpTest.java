package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.READ;
import static dev.dynconfig.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.testing.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerHttpTest {
  static final ObjectMapper M = new ObjectMapper();
  static final String NATIVE =
      """
      {"version": 5, "flags": [{"key": "new-dashboard", "defaultValue": false, "rolloutPercentage": 10}],
       "tests": [], "config": {"ui": {"theme": "dark"}}}
      """;
  static final String FLAGD =
      """
      {"$schema": "https://flagd.dev/schema/v0/flags.json",
       "flags": {"show-banner": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}
      """;

  @TempDir Path dir;
  DynconfigServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  DynconfigServer start(String content) throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, content);
    server = ServerFixture.builder(f).build().start();
    return server;
  }

  JsonNode fileJson() throws Exception {
    return M.readTree(Files.readAllBytes(dir.resolve("flags.json")));
  }

  @Test
  void getFlags_servesTheDocumentWithItsVersionAsEtag_and304WhenUnchanged() throws Exception {
    start(NATIVE);
    HttpResponse<String> r = send(server, "GET", "/v1/flags", READ, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).hasValue("\"5\"");
    assertThat(M.readTree(r.body()).path("flags").get(0).path("key").asText())
        .isEqualTo("new-dashboard");

    HttpResponse<String> same =
        ServerFixture.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/flags"))
                .header("Authorization", "Bearer " + READ)
                .header("If-None-Match", "\"5\"")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(same.statusCode()).isEqualTo(304);
    assertThat(same.body()).isEmpty();

    HttpResponse<String> older =
        ServerFixture.HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/flags"))
                .header("Authorization", "Bearer " + READ)
                .header("If-None-Match", "\"4\"")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(older.statusCode()).isEqualTo(200);
  }

  @Test
  void missingOrWrongToken_gets401AndNothingElse() throws Exception {
    start(NATIVE);
    for (String token : new String[] {null, "wrong", READ + "x", ""}) {
      HttpResponse<String> r = send(server, "GET", "/v1/flags", token, null);
      assertThat(r.statusCode()).as("token %s", token).isEqualTo(401);
      assertThat(r.body()).isEmpty();
    }
    assertThat(send(server, "GET", "/nothing-here", null, null).statusCode()).isEqualTo(401);
    assertThat(send(server, "GET", "/v1/stream", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void readTokenCannotWrite_adminTokenCanRead() throws Exception {
    start(NATIVE);
    HttpResponse<String> w =
        send(server, "PUT", "/v1/admin/flags/x", READ, "{\"defaultValue\": true}");
    assertThat(w.statusCode()).isEqualTo(403);
    assertThat(server.version()).isEqualTo(5);
    assertThat(send(server, "GET", "/v1/flags", ADMIN, null).statusCode()).isEqualTo(200);
  }

  @Test
  void adminWrites_eachKind_yieldExactlyOneNewVersion_andLandInTheFile() throws Exception {
    start(NATIVE);
    assertThat(
            version(send(server, "PUT", "/v1/admin/flags/beta", ADMIN, "{\"defaultValue\": true}")))
        .isEqualTo(6);
    assertThat(
            version(
                send(
                    server,
                    "PUT",
                    "/v1/admin/flags/new-dashboard",
                    ADMIN,
                    "{\"defaultValue\": false, \"rolloutPercentage\": 50}")))
        .isEqualTo(7);
    assertThat(
            version(
                send(
                    server,
                    "PUT",
                    "/v1/admin/tests/checkout",
                    ADMIN,
                    "{\"name\": \"Checkout\", \"status\": \"running\", \"variants\": [{\"id\":"
                        + " \"control\", \"isControl\": true}], \"allocation\": {\"control\": 100}}")))
        .isEqualTo(8);
    assertThat(version(send(server, "PUT", "/v1/admin/config/checkout/timeoutMs", ADMIN, "1500")))
        .isEqualTo(9);
    assertThat(version(send(server, "DELETE", "/v1/admin/config/ui/theme", ADMIN, null)))
        .isEqualTo(10);
    assertThat(version(send(server, "DELETE", "/v1/admin/tests/checkout", ADMIN, null)))
        .isEqualTo(11);
    assertThat(version(send(server, "DELETE", "/v1/admin/flags/beta", ADMIN, null))).isEqualTo(12);

    JsonNode f = fileJson();
    assertThat(f.path("version").asLong()).isEqualTo(12);
    assertThat(f.path("flags")).hasSize(1);
    assertThat(f.path("flags").get(0).path("rolloutPercentage").asInt()).isEqualTo(50);
    assertThat(f.path("tests")).isEmpty();
    assertThat(f.path("config").path("checkout").path("timeoutMs").asInt()).isEqualTo(1500);
    assertThat(f.path("config").has("ui")).isFalse();

    assertThat(
            version(
                send(
                    server,
                    "PUT",
                    "/v1/admin/document",
                    ADMIN,
                    "{\"version\": 1, \"flags\": [], \"config\": {}}")))
        .as("the server stamps the version, whatever the body says")
        .isEqualTo(13);
    assertThat(fileJson().path("flags")).isEmpty();
    HttpResponse<String> get = send(server, "GET", "/v1/flags", READ, null);
    assertThat(get.headers().firstValue("ETag")).hasValue("\"13\"");
    assertThat(M.readTree(get.body()).path("version").asLong()).isEqualTo(13);
  }

  @Test
  void invalidWrite_gets400WithPathValueReason_andChangesNothing() throws Exception {
    start(NATIVE);
    byte[] before = Files.readAllBytes(dir.resolve("flags.json"));
    HttpResponse<String> r =
        send(
            server,
            "PUT",
            "/v1/admin/flags/new-dashboard",
            ADMIN,
            "{\"defaultValue\": false, \"rolloutPercentage\": 140}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode problem = M.readTree(r.body()).path("problems").get(0);
    assertThat(problem.path("path").asText()).isEqualTo("flags[0].rolloutPercentage");
    assertThat(problem.path("value").asText()).isEqualTo("140");
    assertThat(problem.path("reason").asText()).isEqualTo("is outside 0..100");
    assertThat(server.version()).isEqualTo(5);
    assertThat(Files.readAllBytes(dir.resolve("flags.json"))).isEqualTo(before);

    assertThat(send(server, "PUT", "/v1/admin/flags/x", ADMIN, "{not json").statusCode())
        .isEqualTo(400);
    assertThat(send(server, "PUT", "/v1/admin/flags/x", ADMIN, "[1]").statusCode()).isEqualTo(400);
    assertThat(send(server, "DELETE", "/v1/admin/flags/nope", ADMIN, null).statusCode())
        .isEqualTo(404);
    assertThat(send(server, "PUT", "/v1/admin/whatever", ADMIN, "{}").statusCode()).isEqualTo(404);
    assertThat(server.version()).isEqualTo(5);
  }

  @Test
  void oversizedBody_gets413_andTheServerKeepsServing() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, NATIVE);
    server = ServerFixture.builder(f).maxBodyBytes(1024).build().start();
    String big = "{\"defaultValue\": true, \"description\": \"" + "x".repeat(4096) + "\"}";
    assertThat(send(server, "PUT", "/v1/admin/flags/big", ADMIN, big).statusCode()).isEqualTo(413);
    assertThat(server.version()).isEqualTo(5);
    assertThat(send(server, "GET", "/v1/flags", READ, null).statusCode()).isEqualTo(200);
  }

  @Test
  void flagdFile_takesFlagdFlags_refusesTestsAndConfig_andKeepsVersionInMetadata()
      throws Exception {
    start(FLAGD);
    long v0 = server.version();
    HttpResponse<String> r =
        send(
            server,
            "PUT",
            "/v1/admin/flags/dark-mode",
            ADMIN,
            "{\"state\": \"ENABLED\", \"variants\": {\"on\": true, \"off\": false}, \"defaultVariant\": \"on\"}");
    assertThat(version(r)).isEqualTo(v0 + 1);
    JsonNode f = fileJson();
    assertThat(f.path("flags").has("dark-mode")).isTrue();
    assertThat(f.path("flags").has("show-banner")).isTrue();
    assertThat(f.path("metadata").path("version").asText()).isEqualTo(Long.toString(v0 + 1));

    HttpResponse<String> t = send(server, "PUT", "/v1/admin/tests/t1", ADMIN, "{}");
    assertThat(t.statusCode()).isEqualTo(400);
    assertThat(t.body()).contains("flagd format");
    assertThat(send(server, "PUT", "/v1/admin/config/a/b", ADMIN, "1").statusCode()).isEqualTo(400);
    assertThat(server.version()).isEqualTo(v0 + 1);
  }

  @Test
  void flagdWriteWithABrokenRule_gets400_evenThoughLoadedFlagdFilesDegradePerFlag()
      throws Exception {
    start(FLAGD);
    long v0 = server.version();
    byte[] before = Files.readAllBytes(dir.resolve("flags.json"));
    HttpResponse<String> r =
        send(
            server,
            "PUT",
            "/v1/admin/flags/broken",
            ADMIN,
            "{\"state\": \"ENABLED\", \"variants\": {\"on\": true, \"off\": false},"
                + " \"defaultVariant\": \"on\", \"targeting\": {\"invalid\": [1]}}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode problem = M.readTree(r.body()).path("problems").get(0);
    assertThat(problem.path("path").asText()).isEqualTo("flags.broken.targeting");
    assertThat(problem.path("reason").asText()).isEqualTo("is not a known operator");
    assertThat(server.version()).isEqualTo(v0);
    assertThat(Files.readAllBytes(dir.resolve("flags.json"))).isEqualTo(before);
  }

  @Test
  void restartedServer_neverHandsOutALowerVersion_evenWhenTheFileWasPutBack() throws Exception {
    start(NATIVE);
    send(server, "PUT", "/v1/admin/flags/a", ADMIN, "{\"defaultValue\": true}");
    send(server, "PUT", "/v1/admin/flags/b", ADMIN, "{\"defaultValue\": true}");
    assertThat(server.version()).isEqualTo(7);
    server.close();

    // A "git checkout" while the server is down puts back the original file (version 5).
    Files.writeString(dir.resolve("flags.json"), NATIVE);
    server = ServerFixture.builder(dir.resolve("flags.json")).build().start();
    assertThat(server.version()).isEqualTo(8);
    assertThat(fileJson().path("version").asLong()).isEqualTo(8);
    server.close();

    // Unchanged restart: same version.
    server = ServerFixture.builder(dir.resolve("flags.json")).build().start();
    assertThat(server.version()).isEqualTo(8);
  }

  @Test
  void handEdit_isPickedUpWithTheNextVersion_andABrokenOneIsIgnored() throws Exception {
    start(NATIVE);
    Path f = dir.resolve("flags.json");
    Files.writeString(f, NATIVE.replace("\"rolloutPercentage\": 10", "\"rolloutPercentage\": 30"));
    server.checkFileNow();
    assertThat(server.version()).isEqualTo(6);
    assertThat(fileJson().path("version").asLong()).isEqualTo(6);
    assertThat(fileJson().path("flags").get(0).path("rolloutPercentage").asInt()).isEqualTo(30);

    Files.writeString(f, "{ broken");
    server.checkFileNow();
    Files.writeString(f, NATIVE.replace("\"rolloutPercentage\": 10", "\"rolloutPercentage\": 300"));
    server.checkFileNow();
    assertThat(server.version()).isEqualTo(6);
    HttpResponse<String> r = send(server, "GET", "/v1/flags", READ, null);
    assertThat(M.readTree(r.body()).path("flags").get(0).path("rolloutPercentage").asInt())
        .isEqualTo(30);

    // A hand edit that bumps the version itself is served as written.
    Files.writeString(f, NATIVE.replace("\"version\": 5", "\"version\": 40"));
    server.checkFileNow();
    assertThat(server.version()).isEqualTo(40);
  }

  @Test
  void handEdit_isDetectedWithoutBeingAsked() throws Exception {
    start(NATIVE);
    Files.writeString(
        dir.resolve("flags.json"),
        NATIVE.replace("\"rolloutPercentage\": 10", "\"rolloutPercentage\": 20"));
    Await.await("the watcher sees the edit", () -> server.version() == 6);
  }

  @Test
  void invalidFileAtStart_refusesToStart_withTheProblem() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, NATIVE.replace("10", "140"));
    assertThatThrownBy(() -> ServerFixture.builder(f).build().start())
        .hasMessageContaining("rolloutPercentage");
  }

  @Test
  void missingFile_isCreatedAsAnEmptyDocument() throws Exception {
    Path f = dir.resolve("new.json");
    server = ServerFixture.builder(f).build().start();
    assertThat(server.version()).isEqualTo(1);
    assertThat(M.readTree(Files.readAllBytes(f)).path("flags").isArray()).isTrue();
  }

  @Test
  void serverMain_parsesTheCommandLine() {
    DynconfigServer.Builder b =
        ServerMain.parse(
            new String[] {
              "serve", "--file", "f.json", "--port", "9", "--read-token", "r", "--admin-token=a"
            },
            null,
            null);
    assertThat(b).isNotNull();
    assertThatThrownBy(() -> ServerMain.parse(new String[] {"--file", "f.json"}, null, null))
        .hasMessageContaining("--read-token");
    assertThatThrownBy(
            () -> ServerMain.parse(new String[] {"--file", "f", "--bogus", "1"}, "r", "a"))
        .hasMessageContaining("--bogus");
  }

  static long version(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return M.readTree(r.body().getBytes(StandardCharsets.UTF_8)).path("version").asLong();
  }

  static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }
}
