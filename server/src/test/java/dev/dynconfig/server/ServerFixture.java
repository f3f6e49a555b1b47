package dev.dynconfig.server;

import dev.dynconfig.testing.LoopbackHttp;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** Starts servers and talks HTTP to them in tests. */
public final class ServerFixture {
  static final String READ = "read-secret";
  static final String ADMIN = "admin-secret";
  static final String EDITOR_TOKEN = "ed-token-0123456789abcdef";
  static final String READER_TOKEN = "rd-token-0123456789abcdef";
  static final String ADMIN_TOKEN = "ad-token-0123456789abcdef";

  /** {@code users.json} with editor {@code ed}, reader {@code rita} and admin {@code ada}. */
  static final String USERS =
      "{\"users\": ["
          + HashTokenMain.run(
              new String[] {"--name", "ed", "--role", "editor", "--token", EDITOR_TOKEN}, null)
          + ","
          + HashTokenMain.run(
              new String[] {"--name", "rita", "--role", "reader", "--token", READER_TOKEN}, null)
          + ","
          + HashTokenMain.run(
              new String[] {"--name", "ada", "--role", "admin", "--token", ADMIN_TOKEN}, null)
          + "]}";

  static final HttpClient HTTP = LoopbackHttp.CLIENT;

  private ServerFixture() {}

  static DynconfigServer.Builder builder(Path file) {
    return DynconfigServer.builder()
        .file(file)
        .host("127.0.0.1")
        .port(0)
        .readToken(READ)
        .adminToken(ADMIN)
        .users(USERS, "users.json")
        .validator(DocumentValidator.ENGINE)
        .filePollInterval(Duration.ofMillis(100));
  }

  static HttpResponse<String> send(
      DynconfigServer s, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return send(HTTP, s, method, path, token, body);
  }

  /** An admin-API write with {@code If-Match: "<version>"}. */
  static HttpResponse<String> sendIfMatch(
      DynconfigServer s, String method, String path, String token, long version, String body)
      throws IOException, InterruptedException {
    return LoopbackHttp.sendIfMatch(HTTP, s.port(), method, path, token, version, body);
  }

  /**
   * With a given client: tests that restart the server use a fresh one per request, because the JDK
   * client may hand a request to a pooled connection of the previous server process.
   */
  static HttpResponse<String> send(
      HttpClient client, DynconfigServer s, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return send(client, s.port(), method, path, token, body);
  }

  /** One request to a server on a loopback port ({@link LoopbackHttp#send}). */
  public static HttpResponse<String> send(
      HttpClient client, int port, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return LoopbackHttp.send(client, port, method, path, token, body);
  }

  /**
   * The status of one request written byte for byte (for targets the JDK client refuses to send),
   * with a bearer token and an empty JSON body.
   */
  static int rawStatus(DynconfigServer s, String method, String target, String token)
      throws IOException {
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.port())) {
      sock.setSoTimeout(10_000);
      sock.getOutputStream()
          .write(
              (method
                      + " "
                      + target
                      + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + token
                      + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      java.io.InputStream in = sock.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.append((char) c);
      }
      return Integer.parseInt(line.toString().split(" ")[1]);
    }
  }
}
