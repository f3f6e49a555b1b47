package dev.dynconfig.server.chaos;

import dev.dynconfig.server.DynconfigServer;
import dev.dynconfig.server.ServerFixture;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Shared set-up for the chaos tests: tokens, server builder, admin calls, bounded waits. */
final class Chaos {
  static final String READ = "chaos-read-7f3a91";
  static final String ADMIN = "chaos-admin-c02e55";

  /** {@code -Ddynconfig.chaos.long=true}: the long runs whose figures RELIABILITY.md reports. */
  static final boolean LONG = Boolean.getBoolean("dynconfig.chaos.long");

  static final String NATIVE =
      "{\"version\": 1, \"flags\": [{\"key\": \"base\", \"defaultValue\": true}], \"tests\": [],"
          + " \"config\": {}}\n";

  private Chaos() {}

  static DynconfigServer.Builder server(Path file) {
    return DynconfigServer.builder()
        .file(file)
        .host("127.0.0.1")
        .port(0)
        .readToken(READ)
        .adminToken(ADMIN)
        .filePollInterval(Duration.ofMillis(200));
  }

  static HttpClient http() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static HttpResponse<String> send(
      HttpClient client, int port, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return ServerFixture.send(client, port, method, path, token, body);
  }
}
