package dev.dynconfig.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two bearer tokens. Compared in constant time on SHA-256 digests, so neither the content nor
 * the length of a token leaks through timing. Never logged, never part of {@link #toString()}.
 */
final class Tokens {
  /** What a request may do. */
  enum Role {
    NONE,
    READ,
    ADMIN
  }

  private final byte[] readDigest;
  private final byte[] adminDigest;

  Tokens(String readToken, String adminToken) {
    if (readToken == null || readToken.isEmpty() || adminToken == null || adminToken.isEmpty()) {
      throw new IllegalArgumentException("both a read token and an admin token are required");
    }
    if (readToken.equals(adminToken)) {
      throw new IllegalArgumentException("the read token and the admin token must differ");
    }
    this.readDigest = digest(readToken);
    this.adminDigest = digest(adminToken);
  }

  /** The role granted by an {@code Authorization} header value (null = none). */
  Role roleOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Role.NONE;
    }
    byte[] d = digest(authorization.substring(7).trim());
    // Both comparisons always run, so timing does not tell which token was close.
    boolean admin = MessageDigest.isEqual(d, adminDigest);
    boolean read = MessageDigest.isEqual(d, readDigest);
    return admin ? Role.ADMIN : read ? Role.READ : Role.NONE;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "Tokens{***}";
  }
}
