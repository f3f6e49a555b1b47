package dev.dynconfig.internal.engine;

/**
 * Evaluation counts of one flag key (true / false / anything else); they survive reloads.
 *
 * <p>Relaxed on purpose: counting sits on the evaluation hot path, where an atomic
 * read-modify-write (a {@code LongAdder}'s CAS costs about as much as the whole evaluation of a
 * static flag) and its machine code (which would keep the fast path from inlining) are not
 * affordable. Each thread increments plain counters in a stripe chosen by its id, one cache line
 * per stripe, so threads on different stripes never contend. The counts are exact as long as no two
 * threads sharing a stripe evaluate the same flag at the same instant; when they do, an increment
 * can occasionally be lost. They are monitoring figures (JMX), not accounting.
 */
final class FlagCounters {
  private static final int STRIPES =
      Math.min(64, Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1) << 1);

  /** Longs per stripe: 8 × 8 bytes = one 64-byte cache line. */
  private static final int LINE = 8;

  // [line 0 unused: keeps stripe 0 off the array header's line] then per stripe: true, false, other
  private final long[] cells = new long[(STRIPES + 1) * LINE];

  void record(Object value) {
    int category = value == Boolean.TRUE ? 0 : value == Boolean.FALSE ? 1 : 2;
    int stripe = (int) Thread.currentThread().getId() & (STRIPES - 1);
    cells[(stripe + 1) * LINE + category]++;
  }

  EngineIntrospection.FlagCounts snapshot() {
    return new EngineIntrospection.FlagCounts(sum(0), sum(1), sum(2));
  }

  private long sum(int category) {
    long total = 0;
    for (int s = 1; s <= STRIPES; s++) {
      total += cells[s * LINE + category];
    }
    return total;
  }
}
