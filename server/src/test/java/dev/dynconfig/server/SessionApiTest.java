package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.ADMIN_TOKEN;
import static dev.dynconfig.server.ServerFixture.EDITOR_TOKEN;
import static dev.dynconfig.server.ServerFixture.READER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.testing.MutableClock;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console sessions over plain HTTP: sign-in, cookie, CSRF, sign-out, expiry, page headers. */
class SessionApiTest {
  static final ObjectMapper M = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir Path dir;
  DynconfigServer server;
  final MutableClock clock = new MutableClock("2026-01-01T09:00:00Z");

  @BeforeEach
  void start() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, HistoryApiTest.DOC);
    server = ServerFixture.builder(f).clock(clock).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> call(String method, String path, String cookie, String csrf, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    if (method.equals("POST") && path.equals("/v1/session")) {
      b.header("Content-Type", "application/json");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in; returns {cookie header value, csrf token}. */
  String[] signIn(String token) throws Exception {
    HttpResponse<String> r =
        call("POST", "/v1/session", null, null, "{\"token\": \"" + token + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')), M.readTree(r.body()).path("csrf").asText()
    };
  }

  @Test
  void signIn_givesAnHttpOnlyStrictCookie_andACsrfToken_neverTheTokenBack() throws Exception {
    HttpResponse<String> r =
        call("POST", "/v1/session", null, null, "{\"token\": \"" + EDITOR_TOKEN + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("dynconfig_session=")
        .contains("HTTPOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .contains("Max-Age=28800")
        .doesNotContain("Secure");
    JsonNode body = M.readTree(r.body());
    assertThat(body.path("principal").asText()).isEqualTo("ed");
    assertThat(body.path("role").asText()).isEqualTo("editor");
    assertThat(body.path("csrf").asText()).hasSizeGreaterThan(30);
    assertThat(r.body()).doesNotContain(EDITOR_TOKEN);

    assertThat(call("POST", "/v1/session", null, null, "{\"token\": \"nope\"}").statusCode())
        .isEqualTo(401);
    HttpResponse<String> form =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/session"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + EDITOR_TOKEN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(form.statusCode()).as("a cross-site form cannot sign in").isEqualTo(415);
  }

  @Test
  void writesWithTheCookie_needTheCsrfToken_andAreRecordedAsConsole() throws Exception {
    String[] s = signIn(EDITOR_TOKEN);
    String put = "{\"defaultValue\": true}";
    assertThat(call("GET", "/v1/flags", s[0], null, null).statusCode()).isEqualTo(200);
    assertThat(call("PUT", "/v1/admin/flags/checkout", s[0], null, put).statusCode())
        .isEqualTo(403);
    HttpResponse<String> wrong = call("PUT", "/v1/admin/flags/checkout", s[0], "x" + s[1], put);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(wrong.body()).contains("CSRF");
    assertThat(server.version()).isEqualTo(5);

    assertThat(call("PUT", "/v1/admin/flags/checkout", s[0], s[1], put).statusCode())
        .isEqualTo(200);
    JsonNode change =
        M.readTree(call("GET", "/v1/admin/history", s[0], null, null).body())
            .path("changes")
            .get(0);
    assertThat(change.path("principal").asText()).isEqualTo("ed");
    assertThat(change.path("source").asText()).isEqualTo("console");

    assertThat(
            M.readTree(call("GET", "/v1/session", s[0], null, null).body()).path("csrf").asText())
        .as("a reloaded page gets its CSRF token back with the cookie")
        .isEqualTo(s[1]);
  }

  @Test
  void aReaderSession_cannotWrite() throws Exception {
    String[] s = signIn(READER_TOKEN);
    HttpResponse<String> r =
        call("PUT", "/v1/admin/flags/checkout", s[0], s[1], "{\"defaultValue\": true}");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("rita");
  }

  @Test
  void signOut_andExpiry_endTheSession() throws Exception {
    String[] s = signIn(EDITOR_TOKEN);
    assertThat(call("DELETE", "/v1/session", s[0], null, null).statusCode())
        .as("signing out is a write: it needs the CSRF token too")
        .isEqualTo(403);
    HttpResponse<String> out = call("DELETE", "/v1/session", s[0], s[1], null);
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(call("GET", "/v1/flags", s[0], null, null).statusCode()).isEqualTo(401);

    String[] t = signIn(EDITOR_TOKEN);
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(call("GET", "/v1/flags", t[0], null, null).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    assertThat(call("GET", "/v1/flags", t[0], null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void consolePages_comeWithStrictSecurityHeaders_andTheRootRedirects() throws Exception {
    HttpResponse<String> root = call("GET", "/", null, null, null);
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/console/");
    HttpResponse<String> page = call("GET", "/console/", null, null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'");
    assertThat(csp).doesNotContain("unsafe-inline");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.body()).doesNotContain("<script>").doesNotContain("style=");
    assertThat(
            call("GET", "/console/app.js", null, null, null).headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(call("GET", "/console/../flags.json", null, null, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/console/nothing.js", null, null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void malformedCookiesAndSignInBodies_areRefused_withoutHarm() throws Exception {
    for (String cookie :
        List.of(
            "dynconfig_session=",
            "dynconfig_session=\"unterminated",
            "dynconfig_session=a; dynconfig_session=b",
            "x=" + "y".repeat(7000),
            ";;;=")) {
      assertThat(call("GET", "/v1/flags", cookie, null, null).statusCode())
          .as("cookie %s", cookie.length() > 40 ? cookie.substring(0, 40) : cookie)
          .isEqualTo(401);
    }
    for (String body : List.of("", "[]", "{\"token\": 5}", "{\"token\": null}", "{bad")) {
      assertThat(call("POST", "/v1/session", null, null, body).statusCode())
          .as("sign-in body %s", body)
          .isEqualTo(401);
    }
    String big = "{\"token\": \"" + "x".repeat(5000) + "\"}";
    assertThat(call("POST", "/v1/session", null, null, big).statusCode()).isEqualTo(413);
    assertThat(signIn(EDITOR_TOKEN)).hasSize(2); // the server is fine
  }

  @Test
  void repeatedWrongTokens_lockTheAddressOut_with429AndRetryAfter_untilTheWindowPasses()
      throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(call("POST", "/v1/session", null, null, "{\"token\": \"guess-" + i + "\"}"))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(401);
    }
    HttpResponse<String> locked =
        call("POST", "/v1/session", null, null, "{\"token\": \"" + EDITOR_TOKEN + "\"}");
    assertThat(locked.statusCode()).as("even the right token waits").isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(locked.body()).contains("too many failed sign-ins").doesNotContain("guess");
    assertThat(ServerFixture.send(server, "GET", "/v1/admin/history", ADMIN_TOKEN, null))
        .extracting(HttpResponse::statusCode)
        .as("admin API bearer tokens share the lockout")
        .isEqualTo(429);
    assertThat(ServerFixture.send(server, "GET", "/v1/flags", READER_TOKEN, null))
        .extracting(HttpResponse::statusCode)
        .as("agents' read requests are never locked out")
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(45));
    assertThat(
            call("POST", "/v1/session", null, null, "{\"token\": \"" + EDITOR_TOKEN + "\"}")
                .headers()
                .firstValue("Retry-After"))
        .hasValue("15");
    clock.advance(Duration.ofSeconds(15));
    assertThat(signIn(EDITOR_TOKEN)).hasSize(2);
  }

  @Test
  void repeatedWrongAdminBearerTokens_lockTheAddressOut_andASuccessResetsTheCount()
      throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(ServerFixture.send(server, "GET", "/v1/admin/history", "guess-" + i, null))
          .extracting(HttpResponse::statusCode)
          .isEqualTo(401);
    }
    assertThat(ServerFixture.send(server, "GET", "/v1/admin/history", ADMIN_TOKEN, null))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(ServerFixture.send(server, "GET", "/v1/admin/history", "again-" + i, null))
          .extracting(HttpResponse::statusCode)
          .as("the success started the count afresh")
          .isEqualTo(401);
    }
    HttpResponse<String> locked =
        ServerFixture.send(server, "GET", "/v1/admin/history", ADMIN_TOKEN, null);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.headers().firstValue("Retry-After")).hasValue("60");
  }

  @Test
  void aWebSocketWithTheCookie_fromAnotherOrigin_isRefused() throws Exception {
    String[] s = signIn(READER_TOKEN);
    assertThat(upgradeStatus(s[0], "http://evil.example")).isEqualTo(403);
    assertThat(upgradeStatus(s[0], "http://127.0.0.1:" + server.port())).isEqualTo(101);
  }

  int upgradeStatus(String cookie, String origin) throws Exception {
    try (Socket sock = new Socket("127.0.0.1", server.port())) {
      sock.setSoTimeout(10_000);
      sock.getOutputStream()
          .write(
              ("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1:"
                      + server.port()
                      + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                      + "Origin: "
                      + origin
                      + "\r\nCookie: "
                      + cookie
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = sock.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return Integer.parseInt(line.toString().split(" ")[1]);
    }
  }
}
