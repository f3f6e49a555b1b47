package dev.dynconfig.store.postgresql;

import dev.dynconfig.testing.LoopbackHttp;
import java.io.IOException;
import java.net.http.HttpResponse;

/** Plain HTTP to a server on loopback, with the test tokens. */
final class Http {
  static final String READ = "read-secret";
  static final String ADMIN = "admin-secret";

  private Http() {}

  static HttpResponse<String> send(int port, String method, String path, String token, String body)
      throws IOException, InterruptedException {
    return LoopbackHttp.send(LoopbackHttp.CLIENT, port, method, path, token, body);
  }

  /** A write with {@code If-Match: "version"}. */
  static HttpResponse<String> sendIfMatch(
      int port, String method, String path, long version, String body)
      throws IOException, InterruptedException {
    return LoopbackHttp.sendIfMatch(LoopbackHttp.CLIENT, port, method, path, ADMIN, version, body);
  }

  /** {@code PUT /v1/admin/config/t/key}; returns the response. */
  static HttpResponse<String> putConfig(int port, String key, String value)
      throws IOException, InterruptedException {
    return send(port, "PUT", "/v1/admin/config/t/" + key, ADMIN, "\"" + value + "\"");
  }
}
