package dev.dynconfig.agent.internal;

import dev.dynconfig.internal.insight.LatencyBuckets;

/**
 * Exposures of one site: per branch ("slot": a variant of a {@code @Variant} site, true/false of a
 * {@code @Toggle}), the calls that ran it, the errors it threw and, for variants, a latency
 * histogram ({@link LatencyBuckets}) of one call in {@link #SAMPLE_EVERY}.
 *
 * <p>Relaxed like the engine's evaluation counters: plain longs in a stripe chosen by the thread's
 * id (no atomic read-modify-write on the hot path, no allocation); an increment can be lost only
 * when two threads sharing a stripe count the same slot at the same instant. Latency is sampled
 * because reading the clock twice costs more than the whole dispatch; counts and errors are exact.
 */
final class ExposureCounters {
  /** One call in this many (per stripe and slot) is timed. */
  static final int SAMPLE_EVERY = 8;

  private static final int STRIPES =
      Math.min(16, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1) << 1);
  private static final int COUNT = 0;
  private static final int ERRORS = 1;
  private static final int BUCKETS = 2;

  private final int slots;
  private final int width; // longs per slot
  private final int stripeWidth; // longs per stripe, padded to whole cache lines
  private final long[] cells;

  ExposureCounters(int slots, boolean latency) {
    this.slots = slots;
    this.width = BUCKETS + (latency ? LatencyBuckets.COUNT : 0);
    this.stripeWidth = ((slots * width + 7) / 8 + 1) * 8; // + one line against false sharing
    this.cells = new long[(STRIPES + 1) * stripeWidth];
  }

  private int base(int slot) {
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    return (stripe + 1) * stripeWidth + slot * width;
  }

  /** Counts a call of {@code slot}. */
  void count(int slot) {
    cells[base(slot) + COUNT]++;
  }

  /**
   * Counts a call of {@code slot} that is about to run; returns its start ({@code
   * System.nanoTime()}) if this call is timed, else 0.
   */
  long start(int slot) {
    long n = ++cells[base(slot) + COUNT];
    return n % SAMPLE_EVERY == 1 ? System.nanoTime() : 0;
  }

  /** Records the latency of a timed call ({@code start} from {@link #start}, 0 if untimed). */
  void end(long start, int slot) {
    if (start != 0 && width > BUCKETS) {
      cells[base(slot) + BUCKETS + LatencyBuckets.index(System.nanoTime() - start)]++;
    }
  }

  /** Counts an error thrown by {@code slot}'s method. */
  void failed(int slot) {
    cells[base(slot) + ERRORS]++;
  }

  /** The totals since start. */
  Totals totals() {
    long[] counts = new long[slots];
    long[] errors = new long[slots];
    long[][] latency = new long[slots][width - BUCKETS];
    for (int s = 1; s <= STRIPES; s++) {
      for (int slot = 0; slot < slots; slot++) {
        int b = s * stripeWidth + slot * width;
        counts[slot] += cells[b + COUNT];
        errors[slot] += cells[b + ERRORS];
        for (int i = 0; i < width - BUCKETS; i++) {
          latency[slot][i] += cells[b + BUCKETS + i];
        }
      }
    }
    return new Totals(counts, errors, latency);
  }

  /** Per slot: calls, errors, and latency bucket counts (empty without latency). */
  record Totals(long[] counts, long[] errors, long[][] latency) {}
}
