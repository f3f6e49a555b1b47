package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bucketing v3's CBOR hashing: the streamed pair equals the buffered encoding of the array. */
class CborHashTest {

  @Test
  void streamedPair_equalsTheEncodedArray_forEveryLengthClassAndUtf8Width() {
    Random random = new Random(42);
    String[] alphabet = {"a", "é", "あ", "😀", "\uD800"};
    for (int i = 0; i < 2_000; i++) {
      String a = randomString(random, alphabet, random.nextInt(40));
      String b = randomString(random, alphabet, random.nextInt(i % 100 == 0 ? 70_000 : 300));
      assertThat(CborHash.hashPair(a, b)).as(i + "").isEqualTo(CborHash.hash(List.of(a, b)));
    }
  }

  @Test
  void textEncoding_matchesStringGetBytes_forLoneSurrogates() {
    // String.getBytes(UTF_8) writes '?' for an unpaired surrogate; the CBOR text must too.
    String s = "x\uD800y";
    assertThat(CborHash.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    assertThat(CborHash.hash(s)).isEqualTo(CborHash.hash("x?y"));
  }

  @Test
  void concatenation_equalsTheTextOfTheJoinedString() {
    assertThat(CborHash.hashConcatenation("fractional-flag", "jack"))
        .isEqualTo(CborHash.hash("fractional-flagjack"));
    assertThat(CborHash.hashConcatenation("", "é".repeat(200)))
        .isEqualTo(CborHash.hash("é".repeat(200)));
  }

  @Test
  void notAJsonValue_isNotHashed() {
    assertThat(CborHash.hash(java.time.Instant.EPOCH)).isEqualTo(-1);
    assertThat(CborHash.hash(java.util.Map.of(1, "non-string key"))).isEqualTo(-1);
  }

  private static String randomString(Random random, String[] alphabet, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(alphabet[random.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }
}
