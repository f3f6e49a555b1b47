package dev.dynconfig.internal.engine;

import java.time.Instant;

/**
 * Instants as epoch milliseconds for the hot path's window checks. {@link Instant#toEpochMilli}
 * throws for instants beyond about ±292 million years, which a document may legally name (ISO-8601
 * allows {@code +300000000-01-01T00:00:00Z}); such dates saturate instead, which keeps their
 * meaning ("never" / "always") without throwing while a document is compiled.
 */
final class EpochMillis {
  private EpochMillis() {}

  /**
   * {@code instant} in epoch milliseconds, saturated one short of the long range (so the callers'
   * {@code Long.MIN_VALUE}/{@code Long.MAX_VALUE} "no bound" markers stay distinct); {@code absent}
   * when null.
   */
  static long of(Instant instant, long absent) {
    if (instant == null) {
      return absent;
    }
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException beyondLongRange) {
      return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE + 1 : Long.MAX_VALUE - 1;
    }
  }
}
