package dev.dynconfig.bench.propagation;

import java.time.Instant;

/**
 * Microseconds since the epoch, comparable between JVMs on the same machine.
 *
 * <p>{@link System#nanoTime()} has an arbitrary origin per JVM, so the driver and the client JVMs
 * cannot compare it directly; the wall clock ({@link Instant#now()}) is the one clock every process
 * on a machine shares, but it may be stepped (NTP) in the middle of a run. So each JVM reads the
 * wall clock once, at class initialisation, bracketed by two {@code nanoTime()} reads (the tightest
 * of a few tries), and from then on reports {@code nanoTime() + offset}: monotonic within the JVM,
 * and anchored to the shared wall clock to within the bracket (a microsecond or two). A step of the
 * wall clock during a run then cannot make a latency negative or huge; only the anchoring error
 * remains, which is far below the milliseconds measured.
 */
final class EpochClock {
  private static final long OFFSET_NANOS = offset();

  private EpochClock() {}

  /** Now, in microseconds since the epoch. */
  static long micros() {
    return (System.nanoTime() + OFFSET_NANOS) / 1_000;
  }

  private static long offset() {
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 20; i++) {
      long before = System.nanoTime();
      Instant now = Instant.now();
      long after = System.nanoTime();
      if (after - before < best) {
        best = after - before;
        long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        offset = wall - (before + (after - before) / 2);
      }
    }
    return offset;
  }
}
