package dev.dynconfig.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bucketing v1, the flagd Java in-process provider's legacy float formula {@code abs(int32 hash) ×
 * 1.0f / Integer.MAX_VALUE × 100}; expected values worked out by hand from IEEE single precision.
 */
class LegacyBucketingTest {

  @Test
  void legacyBucket_edgeHashes() {
    assertThat(Bucketing.legacyBucket(0L)).isEqualTo(0f);
    // (float) Integer.MAX_VALUE is 2^31, so the largest |hash| gives exactly 100
    assertThat(Bucketing.legacyBucket(0x7fffffffL)).isEqualTo(100f);
    // Math.abs(Integer.MIN_VALUE) stays negative: that one hash gets -100
    assertThat(Bucketing.legacyBucket(0x80000000L)).isEqualTo(-100f);
    // unsigned 0xffffffff is int -1: |−1| / 2^31 × 100
    assertThat(Bucketing.legacyBucket(0xffffffffL)).isEqualTo(4.656613e-8f);
    assertThat(Bucketing.legacyBucket(0xc0000000L)).isEqualTo(50f);
  }

  @Test
  void legacyPercentage_isWeightTimes100OverTotal_inFloat() {
    assertThat(Bucketing.legacyPercentage(0, 3)).isEqualTo(0f);
    assertThat(Bucketing.legacyPercentage(1, 3)).isEqualTo(33.333332f);
    assertThat(Bucketing.legacyPercentage(25, 100)).isEqualTo(25f);
  }

  @Test
  void legacyAllocation_fullTestTakesEveryBucket_partialOneLeavesTheRest() {
    float[] full = Bucketing.legacyAllocationThresholds(List.of(50, 50));
    assertThat(full[0]).isEqualTo(50f);
    assertThat(full[1]).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Bucketing.assignLegacy(0x7fffffffL, full)).isEqualTo(1); // bucket exactly 100
    assertThat(Bucketing.assignLegacy(0L, full)).isEqualTo(0);
    float[] partial = Bucketing.legacyAllocationThresholds(List.of(10, 20));
    assertThat(Bucketing.assignLegacy(0xc0000000L, partial)).isEqualTo(-1); // bucket 50
  }
}
