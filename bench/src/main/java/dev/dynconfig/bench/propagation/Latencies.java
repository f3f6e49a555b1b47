package dev.dynconfig.bench.propagation;

import java.util.Arrays;
import java.util.Locale;

/** A sorted set of latency samples in microseconds, and the figures the table shows. */
final class Latencies {
  private final long[] sorted;

  Latencies(long[] micros, int count) {
    this.sorted = Arrays.copyOf(micros, count);
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /**
   * Nearest-rank percentile: the smallest sample with at least {@code p}% of all samples at or
   * below it ({@code p = 100} is the maximum). Never interpolates, so the figure is one that was
   * really measured.
   */
  long percentile(double p) {
    if (sorted.length == 0) {
      throw new IllegalStateException("no samples");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  long max() {
    return percentile(100);
  }

  /** Microseconds as milliseconds with two decimals. */
  static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1e3);
  }
}
