package dev.dynconfig.internal.source.remote;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A URL as it may be logged or stored: the user-info (a password or token) becomes {@code ***}, and
 * so does the value of every query parameter whose name suggests a secret ({@code token}, {@code
 * password}, {@code key}, {@code secret}, {@code auth}, {@code sig}, …).
 */
public final class RedactedUrl {
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(token|pass|pwd|secret|key|auth|sig|credential|session|cookie|bearer).*");

  private RedactedUrl() {}

  /** {@code url} with its secrets replaced by {@code ***}; never null for a non-null URL. */
  public static String of(URI url) {
    if (url == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    if (url.getScheme() != null) {
      out.append(url.getScheme()).append(':');
    }
    if (url.getRawAuthority() != null) {
      out.append("//");
      if (url.getRawUserInfo() != null) {
        out.append("***@");
      }
      out.append(url.getHost() != null ? hostPart(url) : stripUserInfo(url.getRawAuthority()));
    }
    if (url.getRawPath() != null) {
      out.append(url.getRawPath());
    }
    if (url.getRawQuery() != null) {
      out.append('?').append(query(url.getRawQuery()));
    }
    return out.toString();
  }

  private static String hostPart(URI url) {
    String host = url.getHost();
    return url.getPort() >= 0 ? host + ":" + url.getPort() : host;
  }

  private static String stripUserInfo(String authority) {
    int at = authority.lastIndexOf('@');
    return at >= 0 ? authority.substring(at + 1) : authority;
  }

  private static String query(String raw) {
    StringBuilder out = new StringBuilder();
    for (String pair : raw.split("&", -1)) {
      if (out.length() > 0) {
        out.append('&');
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (eq >= 0 && SECRET_NAME.matcher(name).matches()) {
        out.append(name).append("=***");
      } else {
        out.append(pair);
      }
    }
    return out.toString();
  }
}
