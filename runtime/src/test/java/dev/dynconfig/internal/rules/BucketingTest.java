package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BucketingTest {

  /**
   * Published MurmurHash3_x86_32 vectors (seed 0), cross-checked with an independent implementation
   * of the reference algorithm; they cover the empty input, every tail length (1, 2, 3 bytes),
   * whole blocks, and 2-, 3- and 4-byte UTF-8 sequences.
   */
  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiterString = "|",
      value = {
        "''|00000000",
        "a|3c2569b2",
        "ab|9bbfd75f",
        "abc|b3dd93fa",
        "abcd|43ed676a",
        "hello|248bfa47",
        "Hello, world!|c0363e43",
        "The quick brown fox jumps over the lazy dog|2e4ff723",
        "é|10110787",
        "日本語|a5a47297",
        "😀|beb42efa",
        "a😀b|ba4460fc",
        "fractional-flagjack|9fe843e0",
      })
  void hash_matchesPublishedMurmur3Vectors(String input, String hex) {
    long expected = Long.parseLong(hex, 16);
    assertThat(Bucketing.hash(input, "")).isEqualTo(expected);
    assertThat(Bucketing.hash("", input)).isEqualTo(expected);
  }

  @Test
  void hash_isUnsigned() {
    // "ceQdGm" hashes to 0xffffffff (flagd testbed's upper edge vector).
    assertThat(Bucketing.hash("ceQdGm", "")).isEqualTo(0xffffffffL);
    assertThat(Bucketing.hash("6LvT0", "")).isEqualTo(0x80000000L);
    assertThat(Bucketing.hash("ejOoVL", "")).isZero();
  }

  @Test
  void hash_equalsHashOfConcatenation_forRandomStringsIncludingSurrogates() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      String a = randomString(random);
      String b = randomString(random);
      assertThat(Bucketing.hash(a, b))
          .as("hash(%s, %s)", escape(a), escape(b))
          .isEqualTo(reference((a + b).getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Test
  void hash_pairsSurrogatesAcrossTheTwoStrings_likeTheConcatenation() {
    String pair = "😀";
    String high = pair.substring(0, 1);
    String low = pair.substring(1);
    assertThat(Bucketing.hash("x" + high, low + "y")).isEqualTo(Bucketing.hash("x😀y", ""));
    // Unpaired surrogates become '?', as String.getBytes(UTF_8) does.
    assertThat(Bucketing.hash(high, "")).isEqualTo(Bucketing.hash("?", ""));
    assertThat(Bucketing.hash(low + high, "")).isEqualTo(Bucketing.hash("??", ""));
  }

  /**
   * The ASCII fast path hands over to the general UTF-8 path at the first non-ASCII char; the hash
   * must not depend on where that char falls: at every offset modulo 4 in either string, in the
   * block that straddles the two strings, and right at their boundary (including a surrogate pair
   * split across them). Every UTF-8 length (2, 3, 4 bytes and a lone surrogate) is tried.
   */
  @Test
  void hash_isBitIdentical_whereverTheFirstNonAsciiCharFalls() {
    String[] nonAscii = {"é", "日", "😀", "\uD800", "\uDC00", "\u0080", "\u07ff", "\uffff"};
    String ascii = "abcdefghijklmnopqrstuvwxyz0123456789";
    int checked = 0;
    for (String odd : nonAscii) {
      for (int keyLength = 0; keyLength <= 13; keyLength++) {
        for (int userLength = 0; userLength <= 13; userLength++) {
          String key = ascii.substring(0, keyLength);
          String user = ascii.substring(10, 10 + userLength);
          // the odd char inserted at every position of the key and of the bucketing key
          for (int at = 0; at <= keyLength; at++) {
            String k = key.substring(0, at) + odd + key.substring(at);
            assertSameAsConcatenation(k, user);
            checked++;
          }
          for (int at = 0; at <= userLength; at++) {
            String u = user.substring(0, at) + odd + user.substring(at);
            assertSameAsConcatenation(key, u);
            checked++;
          }
          assertSameAsConcatenation(key, user); // all ASCII: every split of the blocks
        }
      }
    }
    // A surrogate pair split across the boundary, with the ASCII prefix at every offset mod 4.
    for (int keyLength = 0; keyLength <= 8; keyLength++) {
      String key = ascii.substring(0, keyLength);
      assertSameAsConcatenation(key + "\uD83D", "\uDE00" + "tail");
      assertSameAsConcatenation(key + "\uD83D", "");
      assertSameAsConcatenation(key, "\uDE00" + key);
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  @Test
  void hash_ofTypicalFlagAndUuid_matchesReference() {
    String key = "rollout-25";
    String user = "3f2b8c1e-7d4a-4b6e-9a0f-1c2d3e4f5a6b";
    assertSameAsConcatenation(key, user);
    assertSameAsConcatenation(user, key);
  }

  /**
   * The prefix path (flag key hashed once at load time, only the bucketing key per call) must give
   * exactly the plain hash: for ASCII keys and bucketing keys of every length mod 4 (the key's 0-3
   * leftover bytes are carried into the bucketing key's blocks), for non-ASCII chars of every UTF-8
   * length and lone surrogates anywhere in either string, and for a surrogate pair split across the
   * two.
   */
  @Test
  void prefixHash_equalsPlainHash_forEveryLengthAndChar() {
    String ascii = "abcdefghijklmnopqrstuvwxyz0123456789-_.@ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    String[] odd = {
      "é", "\u0080", "\u00ff", "\u07ff", "日", "\uffff", "😀", "\uD800", "\uDBFF", "\uDC00", "\uDFFF"
    };
    int checked = 0;
    for (int keyLength = 0; keyLength <= 13; keyLength++) {
      String key = ascii.substring(0, keyLength);
      for (int userLength = 0; userLength <= 41; userLength++) {
        String user = ascii.substring(20, 20 + userLength);
        assertPrefixPathSameAsPlain(key, user);
        checked++;
        for (String o : odd) {
          for (int at : new int[] {0, userLength / 2, userLength}) {
            assertPrefixPathSameAsPlain(key, user.substring(0, at) + o + user.substring(at));
            checked++;
          }
          for (int at = 0; at <= keyLength; at++) {
            assertPrefixPathSameAsPlain(key.substring(0, at) + o + key.substring(at), user);
            checked++;
          }
        }
      }
    }
    // A surrogate pair split across the boundary, and lone halves at the boundary.
    for (int keyLength = 0; keyLength <= 8; keyLength++) {
      String key = ascii.substring(0, keyLength);
      assertPrefixPathSameAsPlain(key + "\uD83D", "\uDE00" + "tail");
      assertPrefixPathSameAsPlain(key + "\uD83D", "tail");
      assertPrefixPathSameAsPlain(key + "\uD83D", "");
      assertPrefixPathSameAsPlain(key + "\uD83D", "\uD83D");
      assertPrefixPathSameAsPlain(key, "\uDE00" + key);
      assertPrefixPathSameAsPlain(key + "\uDE00", "\uDE00");
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  @Test
  void prefixHash_equalsPlainHash_forRandomStringsIncludingSurrogates() {
    Random random = new Random(4242);
    for (int i = 0; i < 20_000; i++) {
      assertPrefixPathSameAsPlain(randomString(random), randomString(random));
    }
  }

  @Test
  void prefixHash_matchesPublishedMurmur3Vectors_whereverTheSplitFalls() {
    String[] inputs = {
      "abcd",
      "Hello, world!",
      "The quick brown fox jumps over the lazy dog",
      "a😀b",
      "fractional-flagjack"
    };
    long[] expected = {0x43ed676aL, 0xc0363e43L, 0x2e4ff723L, 0xba4460fcL, 0x9fe843e0L};
    for (int v = 0; v < inputs.length; v++) {
      String input = inputs[v];
      for (int split = 0; split <= input.length(); split++) {
        String key = input.substring(0, split);
        assertThat(Bucketing.hash(Bucketing.prefix(key), input.substring(split)))
            .as("prefix(%s) + %s", escape(key), escape(input.substring(split)))
            .isEqualTo(expected[v]);
      }
    }
  }

  private static void assertPrefixPathSameAsPlain(String key, String bucketingKey) {
    long plain = Bucketing.hash(key, bucketingKey);
    assertThat(Bucketing.hash(Bucketing.prefix(key), bucketingKey))
        .as("hash(prefix(%s), %s)", escape(key), escape(bucketingKey))
        .isEqualTo(plain)
        .isEqualTo(reference((key + bucketingKey).getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertSameAsConcatenation(String a, String b) {
    assertThat(Bucketing.hash(a, b))
        .as("hash(%s, %s)", escape(a), escape(b))
        .isEqualTo(reference((a + b).getBytes(StandardCharsets.UTF_8)));
  }

  private static String randomString(Random r) {
    int len = r.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < len; i++) {
      switch (r.nextInt(6)) {
        case 0:
          sb.append((char) ('a' + r.nextInt(26)));
          break;
        case 1:
          sb.append((char) (0x80 + r.nextInt(0x780))); // 2-byte UTF-8
          break;
        case 2:
          sb.append((char) (0x800 + r.nextInt(0xD000 - 0x800))); // 3-byte UTF-8
          break;
        case 3:
          sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // surrogate pair, 4-byte UTF-8
          break;
        case 4:
          sb.append((char) (0xD800 + r.nextInt(0x800))); // lone surrogate
          break;
        default:
          sb.append((char) r.nextInt(0x80));
      }
    }
    return sb.toString();
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    s.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
    return sb.toString();
  }

  /** Textbook MurmurHash3_x86_32 over a byte array, seed 0: the oracle for the streaming code. */
  static long reference(byte[] data) {
    int h = 0;
    int n = data.length;
    int blocks = n / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xff)
              | (data[4 * i + 1] & 0xff) << 8
              | (data[4 * i + 2] & 0xff) << 16
              | (data[4 * i + 3] & 0xff) << 24;
      k *= 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15);
      k *= 0x1b873593;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = blocks * 4;
    switch (n & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= 0xcc9e2d51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1b873593;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= n;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h & 0xffffffffL;
  }

  @Test
  void rolloutThreshold_isExactCeiling() {
    assertThat(Bucketing.rolloutThreshold(0)).isZero();
    assertThat(Bucketing.rolloutThreshold(100)).isEqualTo(1L << 32);
    assertThat(Bucketing.rolloutThreshold(50)).isEqualTo(1L << 31);
    assertThat(Bucketing.rolloutThreshold(25)).isEqualTo(1L << 30);
    // 1% of 2^32 = 42949672.96 → 42949673
    assertThat(Bucketing.rolloutThreshold(1)).isEqualTo(42_949_673L);
    // 33.3% of 2^32 = 1430224109.568 → 1430224110 (decimal as written, not the binary double)
    assertThat(Bucketing.rolloutThreshold(33.3)).isEqualTo(1_430_224_110L);
    assertThat(Bucketing.rolloutThreshold(-5)).isZero();
    assertThat(Bucketing.rolloutThreshold(140)).isEqualTo(1L << 32);
    assertThatThrownBy(() -> Bucketing.rolloutThreshold(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rollout_agreesWithFlagdFractionalV2_forIntegerPercentages() {
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      long h = random.nextInt() & 0xffffffffL;
      int p = random.nextInt(101);
      boolean flagdOn = ((h * 100) >>> 32) < p; // [["on", p], ["off", 100 - p]]
      assertThat(h < Bucketing.rolloutThreshold(p)).isEqualTo(flagdOn);
    }
  }

  @Test
  void rollout_isMonotonic_whenRaised() {
    double[] steps = {0, 0.5, 1, 5, 10, 12.5, 25, 33.3, 50, 75, 99.9, 100};
    for (int u = 0; u < 20_000; u++) {
      long h = Bucketing.hash("new-dashboard", "user-" + u);
      boolean wasIn = false;
      for (double p : steps) {
        boolean in = h < Bucketing.rolloutThreshold(p);
        assertThat(!wasIn || in).as("user-%d dropped out when raising to %s%%", u, p).isTrue();
        wasIn = in;
      }
      assertThat(wasIn).isTrue(); // everyone is in at 100%
    }
  }

  @Test
  void rollout_isUniform_over100kUsers() {
    long threshold = Bucketing.rolloutThreshold(25);
    int in = 0;
    for (int u = 0; u < 100_000; u++) {
      if (Bucketing.hash("new-dashboard", "user-" + u) < threshold) {
        in++;
      }
    }
    assertThat(in / 100_000.0).isBetween(0.24, 0.26);
  }

  @Test
  void assign_followsRunningSums_exactly() {
    long[] t = Bucketing.allocationThresholds(List.of(33, 33, 34));
    assertThat(t)
        .containsExactly(Bucketing.rolloutThreshold(33), Bucketing.rolloutThreshold(66), 1L << 32);
    assertThat(Bucketing.assign(0, t)).isZero();
    assertThat(Bucketing.assign(t[0] - 1, t)).isZero();
    assertThat(Bucketing.assign(t[0], t)).isEqualTo(1);
    assertThat(Bucketing.assign(0xffffffffL, t)).isEqualTo(2);
    // h × 100 < sum × 2^32 exactly, for random hashes
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      long h = random.nextInt() & 0xffffffffL;
      int expected = h * 100 < 33L << 32 ? 0 : h * 100 < 66L << 32 ? 1 : 2;
      assertThat(Bucketing.assign(h, t)).isEqualTo(expected);
    }
  }

  @Test
  void assign_returnsMinusOne_beyondTotalAllocation() {
    long[] t = Bucketing.allocationThresholds(List.of(10, 12.5));
    // 22.5% of 2^32 = 966367641.6
    assertThat(Bucketing.assign(966_367_641L, t)).isEqualTo(1);
    assertThat(Bucketing.assign(966_367_642L, t)).isEqualTo(-1);
    assertThat(Bucketing.assign(0xffffffffL, t)).isEqualTo(-1);
  }

  @Test
  void assign_neverPicksZeroAllocationVariant() {
    long[] t = Bucketing.allocationThresholds(List.of(50, 0, 50));
    for (long h = 0; h < 1L << 32; h += 9_999_991L) {
      assertThat(Bucketing.assign(h, t)).isNotEqualTo(1);
    }
  }

  @Test
  void allocationThresholds_rejectsNegativeOrNaN() {
    assertThatThrownBy(() -> Bucketing.allocationThresholds(List.of(10, -1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("allocation[1]");
    assertThatThrownBy(() -> Bucketing.allocationThresholds(List.of(Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hash_allocatesNothing() {
    Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
    String key = "checkout-experiment";
    String[] users = {"user-1", "ユーザー-😀", "a\uD800b", "x"};
    long[] sink = new long[1];
    long bytes =
        Allocations.of(
            200_000,
            () -> {
              for (String u : users) {
                sink[0] += Bucketing.hash(key, u);
              }
            });
    assertThat(bytes).isZero();
  }

  @Test
  void prefixHash_allocatesNothing() {
    Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
    Bucketing.Prefix prefix = Bucketing.prefix("checkout-experiment");
    String[] users = {"3f2b8c1e-7d4a-4b6e-9a0f-1c2d3e4f5a6b", "ユーザー-😀", "a\uD800b", "x", "é"};
    long[] sink = new long[1];
    long bytes =
        Allocations.of(
            200_000,
            () -> {
              for (String u : users) {
                sink[0] += Bucketing.hash(prefix, u);
              }
            });
    assertThat(bytes).isZero();
  }
}
