package dev.dynconfig.internal.insight;

/**
 * A fixed logarithmic latency scale shared by the agent (which counts calls per bucket) and the
 * server (which sums buckets over the fleet and reads percentiles from them): bucket 0 holds
 * everything under 64 ns, then each power of two from 64 ns to 2^37 ns (about 137 s) is split into
 * 4 buckets, so a percentile is known within 25 % of its value; the last bucket also holds longer
 * calls. Recording is an index computation and an array increment: no allocation, no lock.
 *
 * <p>Chosen over HdrHistogram because a per-call record must stay a plain array increment (a
 * concurrent HdrHistogram costs atomic operations per value and a dependency to shade), and because
 * fixed buckets make the fleet-wide merge a plain sum of counts by index.
 */
public final class LatencyBuckets {
  /** The number of buckets. */
  public static final int COUNT = 1 + (37 - 6 + 1) * 4;

  private LatencyBuckets() {}

  /** The bucket of a duration in nanoseconds (negative durations count as 0). */
  public static int index(long nanos) {
    if (nanos < 64) {
      return 0;
    }
    int msb = 63 - Long.numberOfLeadingZeros(nanos);
    int i = 1 + (msb - 6) * 4 + ((int) (nanos >>> (msb - 2)) & 3);
    return Math.min(i, COUNT - 1);
  }

  /** The exclusive upper bound of bucket {@code i} in nanoseconds. */
  public static long upperBoundNanos(int i) {
    if (i <= 0) {
      return 64;
    }
    int msb = (i - 1) / 4 + 6;
    int sub = (i - 1) % 4;
    return (1L << msb) + (long) (sub + 1) * (1L << (msb - 2));
  }

  /**
   * The upper bound (nanoseconds) of the bucket holding the {@code quantile} (0..1) of the counted
   * calls, or -1 when none was counted.
   */
  public static long percentileNanos(long[] counts, double quantile) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperBoundNanos(i);
      }
    }
    return upperBoundNanos(counts.length - 1);
  }
}
