package dev.dynconfig.rules;

/**
 * Deterministic bucketing shared with flagd: {@code h = MurmurHash3_x86_32(UTF-8(key +
 * bucketingKey), seed 0)} as an unsigned 32-bit number. A user is inside a p% rollout iff {@code h
 * < p/100 × 2^32}.
 */
public final class Bucketing {
  private Bucketing() {}

  /**
   * The unsigned hash of {@code key + bucketingKey} (no separator), computed without building the
   * concatenated string or its bytes.
   */
  public static long hash(String key, String bucketingKey) {
    throw new UnsupportedOperationException("TODO(rules)");
  }

  /**
   * The exclusive upper bound of hashes inside a {@code percent}% rollout, {@code ceil(percent/100
   * × 2^32)}, computed exactly once at load time.
   */
  public static long rolloutThreshold(double percent) {
    throw new UnsupportedOperationException("TODO(rules)");
  }
}
