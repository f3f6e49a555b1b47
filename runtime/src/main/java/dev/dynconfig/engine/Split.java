package dev.dynconfig.engine;

import dev.dynconfig.internal.rules.Bucketing;
import dev.dynconfig.internal.rules.RuleShapes;

/**
 * Users split in two by the hash of a fixed string and their bucketing key: a native rollout
 * (inside or not) and a flagd {@code fractional} between two variants alike, for every bucketing
 * version. Built once, when a flag is compiled; {@link #side} allocates nothing.
 */
final class Split {
  /** {@link #side}: the first share (inside the rollout, the first variant). */
  static final int FIRST = 0;

  /** {@link #side}: the second share (outside the rollout, the second variant). */
  static final int SECOND = 1;

  /** {@link #side}: neither share (bucketing version 1 only, at its float edge: flagd's null). */
  static final int NEITHER = 2;

  /** How the bucketing key is hashed after the fixed string. */
  static final int MURMUR = 0; // v1, v2: MurmurHash3 of the UTF-8 concatenation

  static final int CBOR_PAIR = 1; // v3: the CBOR array [fixed, bucketingKey]
  static final int CBOR_TEXT = 2; // v3: the CBOR text string fixed + bucketingKey

  final Bucketing.Prefix prefix;
  final int hashKind;

  /** Versions 2 and 3: the first share holds the hashes below this. */
  final long threshold;

  /** Version 1: the first share holds the float buckets below this; NaN under versions 2 and 3. */
  final float legacyFirst;

  /** Version 1: the second share holds the remaining buckets below this. */
  final float legacyEnd;

  private Split(String fixed, int hashKind, long threshold, float legacyFirst, float legacyEnd) {
    this.prefix = Bucketing.prefix(fixed);
    this.hashKind = hashKind;
    this.threshold = threshold;
    this.legacyFirst = legacyFirst;
    this.legacyEnd = legacyEnd;
  }

  /**
   * A native rollout of {@code percent} (above 0) on flag {@code key}: {@link #FIRST} for the users
   * inside it, {@link #SECOND} for the others, never {@link #NEITHER}.
   */
  static Split rollout(String key, double percent, int bucketingVersion) {
    long threshold = Bucketing.rolloutThreshold(percent);
    if (bucketingVersion == Bucketing.V1) {
      // Inside iff the float bucket is below p; 100 % admits even the bucket that is exactly 100.
      float first = percent >= 100 ? Float.POSITIVE_INFINITY : (float) percent;
      return new Split(key, MURMUR, threshold, first, Float.POSITIVE_INFINITY);
    }
    int kind = bucketingVersion == Bucketing.V3 ? CBOR_PAIR : MURMUR;
    return new Split(key, kind, threshold, Float.NaN, Float.NaN);
  }

  /**
   * flagd's two-way {@code fractional}, bucketed as its rule buckets them under {@code version}.
   */
  static Split fractional(RuleShapes.TwoWayFractional f, int version) {
    if (version == Bucketing.V1) {
      return new Split(f.fixed(), MURMUR, 0, f.legacyFirst(), f.legacyEnd());
    }
    int kind = version == Bucketing.V3 ? (f.pair() ? CBOR_PAIR : CBOR_TEXT) : MURMUR;
    String fixed = f.fixed();
    long firstWeight = f.firstWeight();
    long total = f.totalWeight();
    // (h × total) >>> 32 < firstWeight  ⟺  h < ceil(firstWeight × 2^32 / total), exactly.
    long scaled = firstWeight << 32;
    long threshold = scaled / total + (scaled % total == 0 ? 0 : 1);
    return new Split(fixed, kind, threshold, Float.NaN, Float.NaN);
  }

  /**
   * Which share this bucketing key falls in: {@link #FIRST}, {@link #SECOND} or {@link #NEITHER}.
   * (The same decision is written out in {@link FastShape#evaluate}; see there why.)
   */
  int side(String bucketingKey) {
    long h =
        hashKind == MURMUR
            ? Bucketing.hash(prefix, bucketingKey)
            : hashKind == CBOR_PAIR
                ? Bucketing.hashCborPair(prefix.key(), bucketingKey)
                : Bucketing.hashCborText(prefix.key(), bucketingKey);
    float first = legacyFirst;
    if (Float.isNaN(first)) { // versions 2 and 3
      return h < threshold ? FIRST : SECOND;
    }
    float bucket = Bucketing.legacyBucket(h);
    return bucket < first ? FIRST : bucket < legacyEnd ? SECOND : NEITHER;
  }
}
