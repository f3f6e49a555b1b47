package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN;
import static dev.dynconfig.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthTest {
  @TempDir Path dir;

  @Test
  void health_withoutToken_reportsStatusVersionAndStore() throws Exception {
    try (DynconfigServer s = ServerFixture.builder(dir.resolve("flags.json")).build().start()) {
      send(s, "PUT", "/v1/admin/flags/f", ADMIN, "{\"defaultValue\": true}");
      HttpResponse<String> r = send(s, "GET", "/v1/health", null, null);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(r.body());
      assertThat(body.path("status").asText()).isEqualTo("ok");
      assertThat(body.path("version").asLong()).isEqualTo(2);
      assertThat(body.path("store").asText()).isEqualTo("file");
      assertThat(send(s, "GET", "/v1/health?probe=lb", null, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void health_opensNothingElse_writesAndOtherPathsStillNeedTokens() throws Exception {
    try (DynconfigServer s = ServerFixture.builder(dir.resolve("flags.json")).build().start()) {
      // 413: a body where none belongs is refused on the head, before any method check.
      assertThat(send(s, "PUT", "/v1/health", null, "{}").statusCode()).isIn(405, 413);
      assertThat(send(s, "PUT", "/v1/health", null, null).statusCode()).isEqualTo(405);
      assertThat(send(s, "GET", "/v1/health/../flags", null, null).statusCode()).isEqualTo(401);
      assertThat(send(s, "GET", "/v1/healthz", null, null).statusCode()).isEqualTo(401);
      assertThat(send(s, "GET", "/v1/health?/../admin/document", null, null).body())
          .contains("\"status\"");
    }
  }
}
