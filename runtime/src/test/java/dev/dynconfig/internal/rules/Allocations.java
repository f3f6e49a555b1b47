package dev.dynconfig.internal.rules;

import java.lang.management.ManagementFactory;

/** Measures bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean). */
final class Allocations {
  private Allocations() {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static boolean supported() {
    return THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled();
  }

  /**
   * Bytes allocated by {@code body} run {@code iterations} times, after the same number of warm-up
   * runs (so the JIT has compiled and escape-analysed it). Measured a few times, keeping the
   * minimum, because the measurement itself may allocate once on first use.
   */
  static long of(int iterations, Runnable body) {
    for (int i = 0; i < iterations; i++) {
      body.run();
    }
    long min = Long.MAX_VALUE;
    long tid = Thread.currentThread().getId();
    for (int round = 0; round < 3; round++) {
      long before = THREADS.getThreadAllocatedBytes(tid);
      for (int i = 0; i < iterations; i++) {
        body.run();
      }
      long after = THREADS.getThreadAllocatedBytes(tid);
      min = Math.min(min, after - before);
    }
    return min;
  }
}
