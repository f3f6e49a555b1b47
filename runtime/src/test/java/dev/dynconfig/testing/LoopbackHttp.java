package dev.dynconfig.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP/1.1 requests to a server on a loopback port, as the server and store tests send them. */
public final class LoopbackHttp {
  /** A client for servers that stay up for the whole test. */
  public static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private LoopbackHttp() {}

  /**
   * One request with a Bearer token unless {@code token} is null, and a body unless {@code body} is
   * null. Tests that restart a server pass a fresh client: the JDK client may hand a request to a
   * pooled connection of the previous server process.
   */
  public static HttpResponse<String> send(
      HttpClient client, int port, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return client.send(
        request(port, method, path, token, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A write with {@code If-Match: "<version>"}. */
  public static HttpResponse<String> sendIfMatch(
      HttpClient client,
      int port,
      String method,
      String path,
      String token,
      long version,
      String body)
      throws IOException, InterruptedException {
    return client.send(
        request(port, method, path, token, body).header("If-Match", "\"" + version + "\"").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(
      int port, String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(REQUEST_TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }
}
