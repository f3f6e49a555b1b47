package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.server.DynconfigServer;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions stay at most 2^53: a hand edit or a client cannot push the server past it. */
class VersionBoundsTest {
  static final long MAX = 1L << 53;
  @TempDir Path dir;

  static String nativeDoc(String version) {
    return "{\"version\": " + version + ", \"flags\": [{\"key\": \"a\", \"defaultValue\": true}]}";
  }

  static String flagdDoc(String version) {
    return "{\"metadata\": {\"version\": \""
        + version
        + "\"}, \"flags\": {\"a\": {\"state\": \"ENABLED\", \"variants\": {\"on\": true},"
        + " \"defaultVariant\": \"on\"}}}";
  }

  @Test
  void handEditedHugeVersion_isRefused_andAdminWritesKeepWorking() throws Exception {
    for (String doc :
        new String[] {
          nativeDoc("9223372036854775807"),
          nativeDoc("99999999999999999999999"),
          flagdDoc("9223372036854775807"),
          flagdDoc(Long.toString(MAX + 1))
        }) {
      boolean flagd = doc.startsWith("{\"metadata\"");
      Path file = Files.createTempFile(dir, "flags", ".json");
      Files.writeString(file, flagd ? flagdDoc("3") : nativeDoc("3"));
      try (DynconfigServer s = Chaos.server(file).build().start()) {
        Files.writeString(file, doc);
        s.checkFileNow();
        assertThat(s.version()).as(doc).isEqualTo(3);
        HttpResponse<String> put =
            flagd
                ? Chaos.send(
                    Chaos.http(),
                    s.port(),
                    "PUT",
                    "/v1/admin/flags/b",
                    ADMIN,
                    "{\"state\": \"ENABLED\", \"variants\": {\"on\": true}, \"defaultVariant\":"
                        + " \"on\"}")
                : adminPut(s.port());
        assertThat(put.statusCode()).as(doc).isEqualTo(200);
        assertThat(s.version()).isEqualTo(4);
      }
    }
  }

  @Test
  void fileWithAHugeVersionAtStart_isNumberedAfterWhatWasPublished_andWritable() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, nativeDoc("5"));
    try (DynconfigServer s = Chaos.server(file).build().start()) {
      assertThat(s.version()).isEqualTo(5);
    }
    Files.writeString(file, nativeDoc("9223372036854775807"));
    try (DynconfigServer s = Chaos.server(file).build().start()) {
      assertThat(s.version()).isEqualTo(6);
      assertThat(adminPut(s.port()).statusCode()).isEqualTo(200);
      assertThat(s.version()).isEqualTo(7);
    }
  }

  @Test
  void aPollerReportingAnAbsurdVersion_doesNotMoveTheServer() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, nativeDoc("5"));
    try (DynconfigServer s = Chaos.server(file).build().start()) {
      HttpClient http = Chaos.http();
      HttpResponse<String> r =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + s.port() + "/v1/flags"))
                  .header("Authorization", "Bearer " + READ)
                  .header("If-None-Match", "\"" + (MAX - 1) + "\"")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(s.version()).isEqualTo(5);
      assertThat(adminPut(s.port()).statusCode()).isEqualTo(200);
    }
  }

  static HttpResponse<String> adminPut(int port) throws Exception {
    return Chaos.send(
        Chaos.http(), port, "PUT", "/v1/admin/flags/b", ADMIN, "{\"defaultValue\": false}");
  }
}
