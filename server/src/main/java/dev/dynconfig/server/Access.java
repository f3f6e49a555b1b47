package dev.dynconfig.server;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * The role a request needs, decided on its head alone (method and path, decoded exactly as the
 * router decodes them, so an encoded path cannot reach a route the gate did not check).
 */
final class Access {
  private Access() {}

  /** The role needed for {@code method uri}. */
  static Role required(HttpMethod method, String uri) {
    String path = new QueryStringDecoder(uri).rawPath();
    if (!path.equals("/v1/admin") && !path.startsWith("/v1/admin/")) {
      return Role.READER;
    }
    String[] seg;
    try {
      seg = segments(path.substring(Math.min(path.length(), "/v1/admin/".length())));
    } catch (IllegalArgumentException badEncoding) {
      return Role.EDITOR; // the router refuses it (400); only a writer gets that far
    }
    String first = seg.length == 0 ? "" : seg[0];
    if (first.equals("history")
        && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))) {
      return Role.READER;
    }
    if (first.equals("history") && seg.length == 1) {
      return Role.READER; // only GET exists there: the router answers 405
    }
    if (first.equals("fleet") && seg.length == 1) {
      return Role.READER; // GET /v1/admin/fleet, read only; other methods: 405
    }
    return first.equals("document") ? Role.ADMIN : Role.EDITOR;
  }

  /** The route after {@code /v1/admin/}, split on '/' and each segment percent-decoded. */
  static String[] segments(String route) {
    String[] seg = route.split("/", -1);
    for (int i = 0; i < seg.length; i++) {
      seg[i] = QueryStringDecoder.decodeComponent(seg[i]);
    }
    return seg;
  }
}
