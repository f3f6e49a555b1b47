package dev.dynconfig.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrincipalsTest {
  static final ObjectMapper M = new ObjectMapper();

  @Test
  void hashToken_printsAnEntryWhoseTokenAuthenticates_andNeverTheTokenItself() throws Exception {
    String entry =
        HashTokenMain.run(
            new String[] {"--name", "alice", "--role", "editor", "--token", "s3cret-s3cret-s3cret"},
            null);
    JsonNode n = M.readTree(entry);
    assertThat(n.path("name").asText()).isEqualTo("alice");
    assertThat(n.path("token").asText()).startsWith("sha256:").doesNotContain("s3cret");

    Principals p = Principals.of(null, null, "{\"users\": [" + entry + "]}", "users.json");
    assertThat(p.fromAuthorization("Bearer s3cret-s3cret-s3cret"))
        .isEqualTo(new Principal("alice", Role.EDITOR));
    assertThat(p.fromAuthorization("Bearer s3cret-s3cret-s3creT")).isNull();
    assertThat(p.fromAuthorization("Basic s3cret-s3cret-s3cret")).isNull();
  }

  @Test
  void hashToken_withoutAToken_generatesOneAndShowsItOnceOnStderr() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String entry =
        HashTokenMain.run(
            new String[] {"hash-token", "--name", "bob", "--role", "reader"},
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String token = err.toString(StandardCharsets.UTF_8).replaceAll("(?s).*: (\\S+)\\s*$", "$1");
    Principals p = Principals.of(null, null, "{\"users\": [" + entry + "]}", "users.json");
    assertThat(p.authenticate(token)).isEqualTo(new Principal("bob", Role.READER));
    assertThat(entry).doesNotContain(token);
  }

  @Test
  void sameTokenHashedTwice_differs_becauseOfTheSalt() {
    assertThat(TokenHash.of("t").stored()).isNotEqualTo(TokenHash.of("t").stored());
  }

  @Test
  void builtInTokens_areTheReadTokenAndAdminTokenPrincipals() {
    Principals p = Principals.of("r", "a", null, "x");
    assertThat(p.authenticate("r")).isEqualTo(new Principal("read-token", Role.READER));
    assertThat(p.authenticate("a")).isEqualTo(new Principal("admin-token", Role.ADMIN));
    assertThat(p.authenticate("")).isNull();
  }

  @Test
  void badUsersFiles_areRefusedNamingTheFileAndEntry() {
    assertThatThrownBy(() -> Principals.of(null, null, "[]", "u.json"))
        .hasMessageContaining("u.json")
        .hasMessageContaining("\"users\"");
    assertThatThrownBy(
            () ->
                Principals.of(
                    null,
                    null,
                    "{\"users\": [{\"name\": \"x\", \"role\": \"boss\", \"token\": \"t\"}]}",
                    "u.json"))
        .hasMessageContaining("u.json $.users[0].role")
        .hasMessageContaining("boss");
    assertThatThrownBy(
            () ->
                Principals.of(
                    null,
                    null,
                    "{\"users\": [{\"name\": \"x\", \"role\": \"reader\", \"token\": \"plain\"}]}",
                    "u.json"))
        .hasMessageContaining("$.users[0].token")
        .hasMessageContaining("hash-token");
    String e =
        HashTokenMain.run(
            new String[] {
              "--name", "read-token", "--role", "admin", "--token", "0123456789abcdefg"
            },
            null);
    assertThatThrownBy(() -> Principals.of("r", "a", "{\"users\": [" + e + "]}", "u.json"))
        .hasMessageContaining("'read-token' is used twice");
    assertThatThrownBy(() -> Principals.of(null, null, null, "u.json"))
        .hasMessageContaining("--users");
  }

  @Test
  void serve_takesUsersFromAFileOrDynconfigUsers_withoutTheTwoTokens(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path users = dir.resolve("users.json");
    java.nio.file.Files.writeString(users, ServerFixture.USERS);
    java.nio.file.Path file = dir.resolve("flags.json");
    try (DynconfigServer s =
        ServerMain.parse(
                new String[] {
                  "serve",
                  "--file",
                  file.toString(),
                  "--host",
                  "127.0.0.1",
                  "--port",
                  "0",
                  "--users",
                  users.toString(),
                  "--session-minutes",
                  "30",
                  "--history-size",
                  "5"
                },
                null,
                null,
                null)
            .build()
            .start()) {
      assertThat(
              ServerFixture.send(s, "GET", "/v1/flags", ServerFixture.READER_TOKEN, null)
                  .statusCode())
          .isEqualTo(200);
    }
    assertThat(ServerMain.parse(new String[] {"--file", "f.json"}, null, null, ServerFixture.USERS))
        .isNotNull();
    assertThatThrownBy(
            () ->
                ServerMain.parse(new String[] {"--file", "f.json"}, null, null, "{\"users\": 3}")
                    .build())
        .hasMessageContaining("DYNCONFIG_USERS");
    assertThatThrownBy(
            () ->
                ServerMain.parse(new String[] {"--file", "f.json", "--users", "/nope"}, null, null))
        .hasMessageContaining("/nope");
  }
}
