package dev.dynconfig.internal.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Deterministic bucketing shared with flagd: {@code h = MurmurHash3_x86_32(UTF-8(key +
 * bucketingKey), seed 0)} as an unsigned 32-bit number. Version 2 (flagd's current {@code
 * fractional}, the default): a user is inside a p% rollout iff {@code h < p/100 × 2^32}. Version 1
 * (the OpenFeature flagd Java in-process provider's legacy algorithm): the bucket is {@link
 * #legacyBucket}, a float in [0, 100], compared with running float percentages.
 */
public final class Bucketing {
  private Bucketing() {}

  /** Bucketing version 1: the flagd Java in-process provider's legacy float bucketing. */
  public static final int V1 = 1;

  /** Bucketing version 2: flagd's {@code (hash × totalWeight) >> 32}; the default. */
  public static final int V2 = 2;

  /**
   * Bucketing version 3: version 2's buckets over the hash of the bucketing value encoded as
   * deterministic CBOR (flagd's proposal for non-string values; see {@link CborHash}).
   */
  public static final int V3 = 3;

  /**
   * Version 3's hash of a key and a bucketing key: MurmurHash3 of the CBOR array {@code [key,
   * bucketingKey]}, as {@code fractional} hashes its flag key and targeting key. Allocates nothing
   * once the calling thread's buffer is large enough.
   */
  public static long hashCborPair(String key, String bucketingKey) {
    return CborHash.hashPair(key, bucketingKey);
  }

  /**
   * Version 3's hash of a string that is {@code a + b}: MurmurHash3 of the CBOR text string, as
   * {@code fractional} hashes a {@code cat} of two strings. Allocates nothing once the calling
   * thread's buffer is large enough.
   */
  public static long hashCborText(String a, String b) {
    return CborHash.hashConcatenation(a, b);
  }

  /** MurmurHash3_x86_32 (seed 0) of {@code bytes[0..length)}, unsigned. */
  static long hashBytes(byte[] bytes, int length) {
    int h = 0;
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      h =
          mixBlock(
              h,
              (bytes[i] & 0xff)
                  | (bytes[i + 1] & 0xff) << 8
                  | (bytes[i + 2] & 0xff) << 16
                  | bytes[i + 3] << 24);
    }
    int rest = 0;
    for (int shift = 0; i < length; i++, shift += 8) {
      rest |= (bytes[i] & 0xff) << shift;
    }
    if ((length & 3) != 0) {
      int k1 = rest * C1;
      k1 = Integer.rotateLeft(k1, 15);
      h ^= k1 * C2;
    }
    return finish(h, length);
  }

  /**
   * Version 1's bucket of a hash: {@code abs(int32 hash) × 1.0f / Integer.MAX_VALUE × 100}, in
   * single precision and in that order, as the Java provider computed it ({@code Math.abs} of
   * {@code Integer.MIN_VALUE} stays negative, so that one hash value gets bucket -100).
   */
  public static float legacyBucket(long hash) {
    return Math.abs((int) hash) * 1.0f / Integer.MAX_VALUE * 100;
  }

  /** Version 1's share of one weight: {@code (float) (weight × 100) / totalWeight}, 0 for 0. */
  public static float legacyPercentage(long weight, long totalWeight) {
    return weight == 0 ? 0 : (float) (weight * 100) / totalWeight;
  }

  /**
   * Version 1's running shares of A/B allocations (percentages): {@code thresholds[i]} is the float
   * sum of allocations 0..i, except that once the exact sum reaches 100 it is +∞, so a test
   * allocated in full takes every user (the legacy bucket can be exactly 100).
   */
  public static float[] legacyAllocationThresholds(List<? extends Number> allocations) {
    float[] thresholds = new float[allocations.size()];
    BigDecimal exactSum = BigDecimal.ZERO;
    float sum = 0;
    for (int i = 0; i < thresholds.length; i++) {
      BigDecimal allocation = exact(allocations.get(i), i);
      exactSum = exactSum.add(allocation);
      sum += allocation.floatValue();
      thresholds[i] = exactSum.compareTo(HUNDRED) >= 0 ? Float.POSITIVE_INFINITY : sum;
    }
    return thresholds;
  }

  /** Version 1's {@link #assign}: the first variant whose running share exceeds the bucket. */
  public static int assignLegacy(long hash, float[] thresholds) {
    float bucket = legacyBucket(hash);
    for (int i = 0; i < thresholds.length; i++) {
      if (bucket < thresholds[i]) {
        return i;
      }
    }
    return -1;
  }

  /** 2^32: the number of distinct hash values. */
  static final long HASH_SPACE = 1L << 32;

  private static final BigDecimal HASH_SPACE_DECIMAL = BigDecimal.valueOf(HASH_SPACE);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  /**
   * The unsigned hash of {@code key + bucketingKey} (no separator), computed without building the
   * concatenated string or its bytes.
   */
  public static long hash(String key, String bucketingKey) {
    int keyLength = key.length();
    int bucketingLength = bucketingKey.length();
    int total = keyLength + bucketingLength;
    int h = 0;
    int block = 0;
    int filled = 0; // bytes in the pending block

    // ASCII fast path (flag keys and user ids almost always are): one char is one UTF-8 byte, so
    // four chars make a block directly. It stops at the first char >= 0x80 and leaves i, h, block
    // and filled exactly as the general loop below would have them at that char, so the general
    // loop carries on from there bit-identically (and does the surrogate pairing across the two
    // strings, which needs a non-ASCII char anyway).
    int i = 0;
    while (i + 4 <= keyLength) {
      char c0 = key.charAt(i);
      char c1 = key.charAt(i + 1);
      char c2 = key.charAt(i + 2);
      char c3 = key.charAt(i + 3);
      if ((c0 | c1 | c2 | c3) >= 0x80) {
        break;
      }
      h = mixBlock(h, c0 | c1 << 8 | c2 << 16 | c3 << 24);
      i += 4;
    }
    if (i + 4 > keyLength) {
      // Fewer than 4 chars of key left: they start the block that the bucketing key completes.
      while (i < keyLength) {
        char c = key.charAt(i);
        if (c >= 0x80) {
          break;
        }
        block |= c << (filled << 3);
        filled++;
        i++;
      }
      if (i == keyLength) {
        int j = 0;
        while (filled != 0 && j < bucketingLength) {
          char c = bucketingKey.charAt(j);
          if (c >= 0x80) {
            break;
          }
          block |= c << (filled << 3);
          j++;
          if (++filled == 4) {
            h = mixBlock(h, block);
            block = 0;
            filled = 0;
          }
        }
        // If the loop above stopped at a non-ASCII char, the two loops below stop there too.
        while (j + 4 <= bucketingLength) {
          char c0 = bucketingKey.charAt(j);
          char c1 = bucketingKey.charAt(j + 1);
          char c2 = bucketingKey.charAt(j + 2);
          char c3 = bucketingKey.charAt(j + 3);
          if ((c0 | c1 | c2 | c3) >= 0x80) {
            break;
          }
          h = mixBlock(h, c0 | c1 << 8 | c2 << 16 | c3 << 24);
          j += 4;
        }
        // The last 0-3 chars, or the ASCII chars of the block holding the first non-ASCII one.
        while (j < bucketingLength) {
          char c = bucketingKey.charAt(j);
          if (c >= 0x80) {
            break;
          }
          block |= c << (filled << 3);
          j++;
          if (++filled == 4) {
            h = mixBlock(h, block);
            block = 0;
            filled = 0;
          }
        }
        i = keyLength + j;
      }
    }

    // General path: the two strings are streamed as one UTF-16 sequence (a high surrogate at the
    // end of key pairs with a low surrogate at the start of bucketingKey, exactly as in the
    // concatenated string), and their UTF-8 bytes are packed little-endian into 4-byte MurmurHash3
    // blocks as they are produced. Everything before i was ASCII: one byte per char.
    int byteCount = i;
    for (; i < total; i++) {
      char c = i < keyLength ? key.charAt(i) : bucketingKey.charAt(i - keyLength);
      int cp;
      if (c < 0x80) {
        cp = c;
      } else if (Character.isHighSurrogate(c) && i + 1 < total) {
        char next = i + 1 < keyLength ? key.charAt(i + 1) : bucketingKey.charAt(i + 1 - keyLength);
        if (Character.isLowSurrogate(next)) {
          cp = Character.toCodePoint(c, next);
          i++;
        } else {
          cp = '?';
        }
      } else if (Character.isSurrogate(c)) {
        cp = '?'; // String.getBytes(UTF_8) replaces an unpaired surrogate with '?'
      } else {
        cp = c;
      }
      int n; // number of UTF-8 bytes of cp
      int b0;
      if (cp < 0x80) {
        n = 1;
        b0 = cp;
      } else if (cp < 0x800) {
        n = 2;
        b0 = 0xc0 | (cp >>> 6);
      } else if (cp < 0x10000) {
        n = 3;
        b0 = 0xe0 | (cp >>> 12);
      } else {
        n = 4;
        b0 = 0xf0 | (cp >>> 18);
      }
      for (int k = 0; k < n; k++) {
        int b = k == 0 ? b0 : 0x80 | ((cp >>> (6 * (n - 1 - k))) & 0x3f);
        block |= (b & 0xff) << (filled << 3);
        if (++filled == 4) {
          h = mixBlock(h, block);
          block = 0;
          filled = 0;
        }
      }
      byteCount += n;
    }
    if (filled > 0) {
      int k1 = block * C1;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= C2;
      h ^= k1;
    }
    return finish(h, byteCount);
  }

  /**
   * The MurmurHash3 state after a fixed first string (a flag key, a test id): {@link #hash(Prefix,
   * String)} then hashes {@code key + bucketingKey} by streaming the bucketing key alone, for the
   * same result as {@link #hash(String, String)}. Immutable; build it once, when the flag is
   * loaded.
   */
  public static final class Prefix {
    final String key;
    final int h; // after the key's whole 4-byte blocks
    final int pending; // the key's last 0-3 UTF-8 bytes, little-endian
    final int pendingBits; // 8 × their count
    final int byteCount; // UTF-8 length of the key
    final boolean endsWithHighSurrogate;

    private Prefix(String key) {
      this.key = key;
      // getBytes turns an unpaired surrogate into '?'. That is also what the concatenation gives
      // for a high surrogate at the very end of the key unless the bucketing key starts with a low
      // surrogate; hash(Prefix, String) hands that one case to hash(String, String).
      byte[] b = key.getBytes(StandardCharsets.UTF_8);
      int state = 0;
      int i = 0;
      for (; i + 4 <= b.length; i += 4) {
        state =
            mixBlock(
                state,
                (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | b[i + 3] << 24);
      }
      int rest = 0;
      int bits = 0;
      for (; i < b.length; i++, bits += 8) {
        rest |= (b[i] & 0xff) << bits;
      }
      this.h = state;
      this.pending = rest;
      this.pendingBits = bits;
      this.byteCount = b.length;
      this.endsWithHighSurrogate =
          !key.isEmpty() && Character.isHighSurrogate(key.charAt(key.length() - 1));
    }

    /** The first string. */
    public String key() {
      return key;
    }
  }

  /** Precomputes the hash state after {@code key}, for {@link #hash(Prefix, String)}. */
  public static Prefix prefix(String key) {
    return new Prefix(key);
  }

  /**
   * {@link #hash(String, String) hash(prefix.key(), bucketingKey)}, streaming only the bucketing
   * key: the key's blocks were mixed once, in {@link #prefix}. Allocates nothing.
   */
  // One method on purpose, ASCII and UTF-8 paths together: its bytecode is larger than C2's
  // FreqInlineSize (325 bytes), so it stays a call. Inlined, its unrolled loops would double the
  // machine code of Engine.evaluate past InlineSmallCode, evaluate would no longer inline into its
  // callers, and a context built per call would be allocated again (48 B/op; BENCHMARKS.md §1).
  public static long hash(Prefix prefix, String bucketingKey) {
    int n = bucketingKey.length();
    int h = prefix.h;
    int block = prefix.pending;
    int bits = prefix.pendingBits;
    // ASCII fast path (user ids almost always are): chars are packed as bytes and checked once, at
    // the end, so the loops have no branch per char; anything else takes the UTF-8 path below.
    int seen = 0;
    int j = 0;
    if (bits != 0) {
      // The first 1-3 chars complete the key's pending block; then the blocks are aligned.
      for (; bits < 32 && j < n; j++, bits += 8) {
        int c = bucketingKey.charAt(j);
        seen |= c;
        block |= c << bits;
      }
      if (bits == 32) {
        h = mixBlock(h, block);
        block = 0;
        bits = 0;
      } // else the bucketing key is used up
    }
    for (; j <= n - 4; j += 4) {
      int c0 = bucketingKey.charAt(j);
      int c1 = bucketingKey.charAt(j + 1);
      int c2 = bucketingKey.charAt(j + 2);
      int c3 = bucketingKey.charAt(j + 3);
      seen |= c0 | c1 | c2 | c3;
      h = mixBlock(h, c0 | c1 << 8 | c2 << 16 | c3 << 24);
    }
    for (; j < n; j++, bits += 8) {
      int c = bucketingKey.charAt(j);
      seen |= c;
      block |= c << bits;
    }
    int byteCount = prefix.byteCount + n;
    if (seen >= 0x80) {
      if (prefix.endsWithHighSurrogate && Character.isLowSurrogate(bucketingKey.charAt(0))) {
        // A surrogate pair split across the two strings: the prefix encoded its half as '?'.
        return hash(prefix.key, bucketingKey);
      }
      // UTF-8 path: the bucketing key's bytes, one code point at a time, after the key's state.
      h = prefix.h;
      long acc = prefix.pending; // as block, with room for a code point's bytes above it
      bits = prefix.pendingBits;
      byteCount = prefix.byteCount;
      for (int i = 0; i < n; i++) {
        char c = bucketingKey.charAt(i);
        int cp;
        if (c < 0x80) {
          cp = c;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(bucketingKey.charAt(i + 1))) {
          cp = Character.toCodePoint(c, bucketingKey.charAt(++i));
        } else if (Character.isSurrogate(c)) {
          cp = '?'; // String.getBytes(UTF_8) replaces an unpaired surrogate with '?'
        } else {
          cp = c;
        }
        // The 1-4 UTF-8 bytes of cp, little-endian in an int.
        int utf8;
        int length;
        if (cp < 0x80) {
          utf8 = cp;
          length = 1;
        } else if (cp < 0x800) {
          utf8 = (0xc0 | cp >>> 6) | (0x80 | cp & 0x3f) << 8;
          length = 2;
        } else if (cp < 0x10000) {
          utf8 = (0xe0 | cp >>> 12) | (0x80 | cp >>> 6 & 0x3f) << 8 | (0x80 | cp & 0x3f) << 16;
          length = 3;
        } else {
          utf8 =
              (0xf0 | cp >>> 18)
                  | (0x80 | cp >>> 12 & 0x3f) << 8
                  | (0x80 | cp >>> 6 & 0x3f) << 16
                  | (0x80 | cp & 0x3f) << 24;
          length = 4;
        }
        acc |= (utf8 & 0xffffffffL) << bits;
        bits += length << 3;
        byteCount += length;
        if (bits >= 32) {
          h = mixBlock(h, (int) acc);
          acc >>>= 32;
          bits -= 32;
        }
      }
      block = (int) acc;
    }
    if (bits != 0) {
      int k1 = block * C1;
      k1 = Integer.rotateLeft(k1, 15);
      h ^= k1 * C2;
    }
    return finish(h, byteCount);
  }

  /** MurmurHash3's finalisation: the length, then fmix32; unsigned. */
  static long finish(int h, int byteCount) {
    h ^= byteCount;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & 0xffffffffL;
  }

  static int mixBlock(int h, int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    k *= C2;
    h ^= k;
    h = Integer.rotateLeft(h, 13);
    return h * 5 + 0xe6546b64;
  }

  /**
   * The exclusive upper bound of hashes inside a {@code percent}% rollout, {@code ceil(percent/100
   * × 2^32)}, computed exactly once at load time. Values below 0 give 0 (nobody), above 100 give
   * 2^32 (everybody).
   *
   * @throws IllegalArgumentException when percent is NaN
   */
  public static long rolloutThreshold(double percent) {
    if (Double.isNaN(percent)) {
      throw new IllegalArgumentException("rollout percentage is NaN");
    }
    if (percent <= 0) {
      return 0;
    }
    if (percent >= 100) {
      return HASH_SPACE;
    }
    // BigDecimal.valueOf uses the shortest decimal that round-trips, i.e. what the document said.
    return threshold(BigDecimal.valueOf(percent));
  }

  /**
   * Precomputes A/B assignment thresholds for allocations (percentages, integer or decimal) in
   * document order: {@code thresholds[i] = ceil(runningSum_i / 100 × 2^32)}, so that {@link
   * #assign} is a handful of integer compares.
   *
   * @throws IllegalArgumentException for a null, negative, NaN or infinite allocation
   */
  public static long[] allocationThresholds(List<? extends Number> allocations) {
    long[] thresholds = new long[allocations.size()];
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < thresholds.length; i++) {
      BigDecimal allocation = exact(allocations.get(i), i);
      sum = sum.add(allocation);
      thresholds[i] = threshold(sum);
    }
    return thresholds;
  }

  /**
   * The index of the variant a hash is assigned to, or -1 when the hash lies at or beyond the total
   * allocation (not in the test). Equivalent to: the first variant whose running allocation sum
   * exceeds {@code h / 2^32 × 100}, compared exactly ({@code h × 100 < sum × 2^32}).
   */
  public static int assign(long hash, long[] thresholds) {
    for (int i = 0; i < thresholds.length; i++) {
      if (hash < thresholds[i]) {
        return i;
      }
    }
    return -1;
  }

  /** ceil(percent / 100 × 2^32), exact; for integer h, {@code h < result ⟺ h × 100 < p × 2^32}. */
  private static long threshold(BigDecimal percent) {
    if (percent.signum() <= 0) {
      return 0;
    }
    BigDecimal scaled = percent.multiply(HASH_SPACE_DECIMAL).divide(HUNDRED);
    BigDecimal ceiling = scaled.setScale(0, RoundingMode.CEILING);
    // Anything past 2^32 admits every hash; clamp so callers never see overflowing values.
    return ceiling.compareTo(HASH_SPACE_DECIMAL) >= 0 ? HASH_SPACE : ceiling.longValueExact();
  }

  private static BigDecimal exact(Number n, int index) {
    if (n == null) {
      throw new IllegalArgumentException("allocation[" + index + "] is null");
    }
    BigDecimal d;
    if (n instanceof BigDecimal) {
      d = (BigDecimal) n;
    } else if (n instanceof java.math.BigInteger) {
      d = new BigDecimal((java.math.BigInteger) n);
    } else if (n instanceof Long
        || n instanceof Integer
        || n instanceof Short
        || n instanceof Byte) {
      d = BigDecimal.valueOf(n.longValue());
    } else {
      double v = n.doubleValue();
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("allocation[" + index + "] is " + v);
      }
      d = BigDecimal.valueOf(v);
    }
    if (d.signum() < 0) {
      throw new IllegalArgumentException("allocation[" + index + "] is negative: " + n);
    }
    return d;
  }
}
