package dev.dynconfig.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A token as stored in {@code users.json}: {@code sha256:<salt>:<digest>}, both base64url, digest =
 * SHA-256(salt ‖ token). Tokens are random secrets (see {@code hash-token}), so one salted round is
 * enough and keeps every request's check cheap. Compared in constant time.
 */
record TokenHash(byte[] salt, byte[] digest) {
  private static final String PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();

  static TokenHash of(String token) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return new TokenHash(salt, digest(salt, token));
  }

  /** Parses the stored form; throws {@link IllegalArgumentException} saying what is wrong. */
  static TokenHash parse(String stored) {
    String[] parts = stored == null ? new String[0] : stored.split(":", -1);
    if (parts.length != 3 || !stored.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "a token must be stored as sha256:<salt>:<digest> (print one with 'hash-token')");
    }
    byte[] salt;
    byte[] digest;
    try {
      salt = Base64.getUrlDecoder().decode(parts[1]);
      digest = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the salt and digest must be base64url (" + e.getMessage() + ")");
    }
    if (salt.length < 8 || digest.length != 32) {
      throw new IllegalArgumentException(
          "the salt must have at least 8 bytes and the digest 32 (print one with 'hash-token')");
    }
    return new TokenHash(salt, digest);
  }

  /** Constant time in the token's content. */
  boolean matches(String token) {
    return MessageDigest.isEqual(digest(salt, token), digest);
  }

  String stored() {
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    return PREFIX + enc.encodeToString(salt) + ":" + enc.encodeToString(digest);
  }

  static String randomToken() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static byte[] digest(byte[] salt, String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(salt);
      return md.digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "TokenHash{***}";
  }
}
