package dev.dynconfig.server.chaos;

import static dev.dynconfig.server.chaos.Chaos.ADMIN;
import static dev.dynconfig.server.chaos.Chaos.READ;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dynconfig.server.DynconfigServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No endpoint without a token, admin and read tokens separate, tokens never in the log, and a full
 * disk under the server degrades to a refused write while the last version keeps serving.
 */
class SecurityTest {
  static final List<String> PATHS =
      List.of(
          "/v1/flags",
          "/v1/flags?x=1",
          "/v1/stream",
          "/v1/stream?version=1",
          "/v1/admin",
          "/v1/admin/",
          "/v1/admin/document",
          "/v1/admin/flags/base",
          "/v1/admin/tests/t",
          "/v1/admin/config/ns/k",
          "/v1/admin/flags/..%2F..%2Fdocument",
          "/v1/admin/./document",
          "/v1/flags/../admin/document",
          "//v1/admin/document",
          "/V1/ADMIN/document",
          "/",
          "/nope",
          "*",
          "http://127.0.0.1/v1/admin/document");
  static final List<String> METHODS =
      List.of("GET", "HEAD", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  @TempDir Path dir;

  @Test
  void everyRouteAndMethod_withoutAValidToken_gets401AndNothingElse() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, Chaos.NATIVE);
    // Hundreds of wrong tokens from one address: lift the sign-in limit (SessionApiTest covers it).
    try (DynconfigServer s = Chaos.server(f).maxFailedSignIns(Integer.MAX_VALUE).build().start()) {
      List<String> credentials =
          List.of(
              "",
              "Authorization: Bearer\r\n",
              "Authorization: Bearer wrong\r\n",
              "Authorization: Basic " + READ + "\r\n",
              "Authorization: Bearer " + READ + "x\r\n",
              "Authorization: Bearer " + READ.substring(1) + "\r\n",
              "Authorization: " + ADMIN + "\r\n");
      int checked = 0;
      for (String path : PATHS) {
        for (String method : METHODS) {
          for (String cred : credentials) {
            if (path.equals("/") && (method.equals("GET") || method.equals("HEAD"))) {
              continue; // the console's redirect: public, see SessionApiTest
            }
            assertUnauthorized(s.port(), method, path, cred);
            checked++;
          }
          if (path.startsWith("/v1/admin") || path.startsWith("http")) {
            // The read token never opens the admin API: refused before its body is read.
            if (path.startsWith("/v1/admin")) {
              assertForbidden(s.port(), method, path, "Authorization: Bearer " + READ + "\r\n");
              checked++;
            }
          }
        }
      }
      // Absolute-form targets dodge the admin prefix check of the gate; the router must not
      // route them either (the read token must never reach a write).
      for (String method : List.of("PUT", "DELETE")) {
        try (RawPeer p = RawPeer.connect(s.port())) {
          p.write(
              method
                  + " http://127.0.0.1/v1/admin/document HTTP/1.1\r\nHost: x\r\nConnection: close"
                  + "\r\nAuthorization: Bearer "
                  + READ
                  + "\r\nContent-Length: 2\r\n\r\n{}");
          // 413: with the read token this is not an admin route, and only admin PUTs take a body.
          assertThat(RawPeer.status(p.readHead())).isIn(401, 404, 413);
        }
      }
      assertThat(s.version()).as("nothing changed").isEqualTo(1);
      System.out.printf(
          "security: %d unauthenticated or unauthorised requests, all refused%n", checked);
    }
  }

  @Test
  void malformedPercentEncoding_gets400WithAReason() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, Chaos.NATIVE);
    try (DynconfigServer s = Chaos.server(f).build().start()) {
      String[][] requests = {
        {"DELETE /v1/admin/flags/%ZZ", ADMIN},
        {"PUT /v1/admin/config/a%2/b", ADMIN},
        {"GET /v1/stream?version=%ZZ", READ},
      };
      for (String[] r : requests) {
        try (RawPeer p = RawPeer.connect(s.port())) {
          p.write(
              r[0]
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                  + (r[0].startsWith("PUT") ? "Content-Length: 2\r\n" : "")
                  + "Upgrade: websocket\r\nAuthorization: Bearer "
                  + r[1]
                  + "\r\n\r\n"
                  + (r[0].startsWith("PUT") ? "{}" : ""));
          String head = p.readHead();
          assertThat(RawPeer.status(head)).as(r[0]).isEqualTo(400);
          String body = new String(p.readToEnd(), java.nio.charset.StandardCharsets.UTF_8);
          assertThat(body).as(r[0]).contains("percent-encoding");
        }
      }
      assertThat(s.version()).isEqualTo(1);
    }
  }

  static void assertUnauthorized(int port, String method, String path, String cred)
      throws Exception {
    try (RawPeer p = RawPeer.connect(port)) {
      p.write(
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
              + cred
              + "\r\n{}");
      String head = p.readHead();
      assertThat(RawPeer.status(head)).as("%s %s with [%s]", method, path, cred).isEqualTo(401);
      assertThat(head.toLowerCase()).contains("content-length: 0");
      assertThat(p.readToEnd()).as("body of %s %s", method, path).isEmpty();
    }
  }

  static void assertForbidden(int port, String method, String path, String cred) throws Exception {
    try (RawPeer p = RawPeer.connect(port)) {
      p.write(
          method
              + " "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
              + cred
              + "\r\n{}");
      String head = p.readHead();
      assertThat(RawPeer.status(head)).as("%s %s with [%s]", method, path, cred).isEqualTo(403);
      assertThat(head.toLowerCase()).contains("connection: close");
      if (!method.equals("HEAD")) {
        assertThat(new String(p.readToEnd(), java.nio.charset.StandardCharsets.UTF_8))
            .as("body of %s %s", method, path)
            .contains("read-token has the role reader");
      }
    }
  }

  @Test
  void tokensNeverAppearInTheServerLog_evenAtDebugLevel() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    String wrong = "wrong-token-5c1d0e";
    Process p =
        ForkedServer.start(
            file, port, log, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"));
    try {
      List<Integer> statuses = new ArrayList<>();
      for (String token : List.of(wrong, READ, ADMIN)) {
        statuses.add(ForkedServer.RawHttp.request(port, "GET", "/v1/flags", token, null).status());
        statuses.add(
            ForkedServer.RawHttp.request(
                    port,
                    "PUT",
                    "/v1/admin/flags/f-" + token.length(),
                    token,
                    "{\"defaultValue\": 1}")
                .status());
        statuses.add(
            ForkedServer.RawHttp.request(
                    port, "PUT", "/v1/admin/flags/g", token, "{\"defaultValue\": true}")
                .status());
        try (RawPeer ws = RawPeer.connect(port).upgrade(token, -1)) {
          statuses.add(RawPeer.status(ws.readHead()));
        }
      }
      assertThat(statuses).contains(401, 200, 101, 400);
      Thread.sleep(200);
    } finally {
      ForkedServer.kill(p);
    }
    String text = Files.readString(log);
    assertThat(text).as("the log was captured").contains("dynconfig.audit");
    assertThat(text).doesNotContain(READ).doesNotContain(ADMIN).doesNotContain(wrong);
  }

  @Test
  void fullDiskUnderTheServer_refusesTheWrite_andTheLastVersionKeepsServing() throws Exception {
    Path file = dir.resolve("flags.json");
    Files.writeString(file, Chaos.NATIVE);
    Path log = dir.resolve("server.log");
    int port = ForkedServer.freePort();
    // RLIMIT_FSIZE stands in for a full disk (root ignores permissions, and mounting a tiny
    // file system needs privileges): a write past 64 KiB fails with EFBIG, the JVM ignores SIGXFSZ.
    Process p = ForkedServer.startWithFileSizeLimit(64, file, port, log);
    try {
      byte[] before = Files.readAllBytes(file);
      String huge =
          "{\"defaultValue\": true, \"metadata\": {\"pad\": \"" + "p".repeat(200_000) + "\"}}";
      var r = ForkedServer.RawHttp.request(port, "PUT", "/v1/admin/flags/big", ADMIN, huge);
      assertThat(r.status()).as(r.body()).isEqualTo(500);
      assertThat(r.body()).contains("nothing was changed");
      assertThat(Files.readAllBytes(file)).isEqualTo(before);
      var served = ForkedServer.RawHttp.request(port, "GET", "/v1/flags", READ, null);
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.body()).contains("\"version\": 1").doesNotContain("\"big\"");
      var small =
          ForkedServer.RawHttp.request(
              port, "PUT", "/v1/admin/flags/small", ADMIN, "{\"defaultValue\": true}");
      assertThat(small.status()).as("the server is still usable").isEqualTo(200);
      try (var s = Files.list(dir)) {
        assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.contains(".tmp-"));
      }
    } finally {
      ForkedServer.kill(p);
    }
    assertThat(Duration.ZERO).isNotNull();
  }
}
