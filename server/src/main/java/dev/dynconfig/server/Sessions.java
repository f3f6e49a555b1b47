package dev.dynconfig.server;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions: signing in with a token gives a random session id (sent as an {@code HttpOnly},
 * {@code SameSite=Strict} cookie) and a CSRF token the page must send with every write. Sessions
 * expire a fixed time after sign-in. Only SHA-256 digests of the ids are kept, so a heap dump does
 * not hand out live sessions.
 */
final class Sessions {
  static final String COOKIE = "dynconfig_session";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A signed-in console. */
  record Session(Principal principal, String csrf, Instant expiresAt) {
    boolean csrfMatches(String header) {
      return header != null
          && MessageDigest.isEqual(
              header.getBytes(StandardCharsets.UTF_8), csrf.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
  private final Duration timeout;
  private final Clock clock;
  private final int maxSessions;

  Sessions(Duration timeout, Clock clock, int maxSessions) {
    this.timeout = timeout;
    this.clock = clock;
    this.maxSessions = maxSessions;
  }

  Duration timeout() {
    return timeout;
  }

  /** Starts a session; returns its id (for the cookie only) and the session. */
  Map.Entry<String, Session> start(Principal p) {
    if (byDigest.size() >= maxSessions) {
      purgeExpired();
      if (byDigest.size() >= maxSessions) {
        // Full of live sessions: drop the one closest to its end rather than refuse sign-in.
        byDigest.entrySet().stream()
            .min(Map.Entry.comparingByValue((a, b) -> a.expiresAt().compareTo(b.expiresAt())))
            .ifPresent(e -> byDigest.remove(e.getKey()));
      }
    }
    String id = random();
    Session s = new Session(p, random(), clock.instant().plus(timeout));
    byDigest.put(digest(id), s);
    return Map.entry(id, s);
  }

  /** The live session named by a {@code Cookie} header, or null. */
  Session find(String cookieHeader) {
    String id = idFrom(cookieHeader);
    if (id == null) {
      return null;
    }
    String key = digest(id);
    Session s = byDigest.get(key);
    if (s != null && !clock.instant().isBefore(s.expiresAt())) {
      byDigest.remove(key);
      return null;
    }
    return s;
  }

  /** Ends the session named by a {@code Cookie} header, if any. */
  void end(String cookieHeader) {
    String id = idFrom(cookieHeader);
    if (id != null) {
      byDigest.remove(digest(id));
    }
  }

  int size() {
    return byDigest.size();
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    byDigest.values().removeIf(s -> !now.isBefore(s.expiresAt()));
  }

  private static String idFrom(String cookieHeader) {
    if (cookieHeader == null || cookieHeader.length() > 8192) {
      return null;
    }
    for (Cookie c : ServerCookieDecoder.STRICT.decode(cookieHeader)) {
      if (c.name().equals(COOKIE)) {
        return c.value();
      }
    }
    return null;
  }

  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String digest(String id) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
