package dev.dynconfig.internal.insight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  @Test
  void everyDuration_fallsInABucketWhoseBoundsContainIt_within25Percent() {
    for (long nanos = 64; nanos < 100_000_000_000L; nanos = nanos * 5 / 4 + 7) {
      int i = LatencyBuckets.index(nanos);
      assertThat(LatencyBuckets.upperBoundNanos(i)).isGreaterThan(nanos);
      assertThat(LatencyBuckets.upperBoundNanos(i - 1)).isLessThanOrEqualTo(nanos);
      assertThat((double) LatencyBuckets.upperBoundNanos(i)).isLessThanOrEqualTo(nanos * 1.25 + 1);
    }
    assertThat(LatencyBuckets.index(0)).isZero();
    assertThat(LatencyBuckets.index(-5)).isZero();
    assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
  }

  @Test
  void percentiles_comeFromTheCumulativeCounts() {
    long[] counts = new long[LatencyBuckets.COUNT];
    counts[LatencyBuckets.index(1_000)] = 98;
    counts[LatencyBuckets.index(1_000_000)] = 2;

    assertThat(LatencyBuckets.percentileNanos(counts, 0.5)).isBetween(1_000L, 1_250L);
    assertThat(LatencyBuckets.percentileNanos(counts, 0.99)).isBetween(1_000_000L, 1_250_000L);
    assertThat(LatencyBuckets.percentileNanos(new long[LatencyBuckets.COUNT], 0.5)).isEqualTo(-1);
  }
}
