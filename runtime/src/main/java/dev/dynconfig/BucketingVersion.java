package dev.dynconfig;

import java.util.Locale;

/**
 * How users are put into buckets: flagd's {@code fractional}, native rollouts and A/B tests all use
 * the same version. Every version hashes the same input ({@code MurmurHash3_x86_32} of the UTF-8
 * bucketing value, seed 0); they differ in how the hash becomes a bucket, so switching versions
 * moves users. Chosen per document (top-level {@code "bucketing": "v1"}) or per engine ({@link
 * DynamicConfigOptions.Builder#bucketing}); a document's setting wins.
 */
public enum BucketingVersion {
  /**
   * The OpenFeature flagd Java in-process provider's algorithm before v2, for teams that migrate
   * from it and must keep their users' buckets: {@code bucket = abs(int32 hash) / Integer.MAX_VALUE
   * × 100} in single-precision floating point, and a variant's share is {@code weight × 100 /
   * totalWeight}; the first variant whose running share exceeds the bucket wins. A p % rollout
   * admits a user iff the bucket is below p; an A/B test sums its allocations the same way.
   */
  V1,

  /**
   * flagd's current {@code fractional} (the default): {@code bucket = (hash × totalWeight) >> 32}
   * over the unsigned hash, compared with the running sum of integer weights; a p % rollout admits
   * a user iff {@code hash < ceil(p / 100 × 2^32)}.
   */
  V2,

  /**
   * flagd's proposal for non-string bucketing values (the flagd testbed's v3 profile): version 2's
   * buckets, but the hash input is the bucketing value encoded as deterministic CBOR (RFC 8949
   * §4.2.1, numbers without a fractional part as integers), so numbers, booleans, objects and
   * arrays bucket the same in every language; a null bucketing value yields null. Without an
   * explicit value, {@code fractional} hashes the CBOR array {@code [flagKey, targetingKey]} (a
   * non-string targeting key yields null); native rollouts and A/B tests hash {@code [key, userId]}
   * likewise.
   */
  V3;

  /** The version named {@code v1}/{@code v2}/{@code v3} (case-insensitive), else null. */
  public static BucketingVersion parse(String name) {
    if (name == null) {
      return null;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "v1":
        return V1;
      case "v2":
        return V2;
      case "v3":
        return V3;
      default:
        return null;
    }
  }

  /** The name used in documents and options: {@code v1}, {@code v2}, {@code v3}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
