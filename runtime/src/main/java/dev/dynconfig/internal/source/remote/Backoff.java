package dev.dynconfig.internal.source.remote;

import dev.dynconfig.RetryOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential with full jitter. After the n-th consecutive failure the delay is
 * uniform in {@code [baseDelay, min(maxDelay, baseDelay * 2^n)]}; once {@code maxAttempts} failures
 * have piled up, it is uniform in the upper half below {@code maxDelay} (never below {@code
 * baseDelay}), so a fleet that lost its server does not come back in lockstep. Thread-safe.
 */
final class Backoff {
  private final RetryOptions retry;
  private final DoubleSupplier random;
  private int failures;

  /**
   * @param random uniform in [0, 1); injected so tests can pin the jitter
   */
  public Backoff(RetryOptions retry, DoubleSupplier random) {
    this.retry = retry;
    this.random = random;
  }

  public Backoff(RetryOptions retry) {
    this(retry, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  public synchronized Duration nextDelay() {
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    long base = retry.baseDelay().toMillis();
    long max = retry.maxDelay().toMillis();
    long floor = base;
    long ceiling;
    if (failures >= retry.maxAttempts()) {
      ceiling = max;
      floor = Math.max(base, max / 2);
    } else {
      // base * 2^failures, capped, without overflow (doubling stops at max)
      ceiling = base;
      for (int i = 0; i < failures && ceiling > 0 && ceiling < max; i++) {
        ceiling = ceiling > max / 2 ? max : ceiling * 2;
      }
      ceiling = Math.min(max, ceiling);
    }
    double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
    return Duration.ofMillis(floor + (long) (r * (ceiling - floor)));
  }

  /** True once {@code maxAttempts} consecutive failures happened: time to report {@code error}. */
  public synchronized boolean exhausted() {
    return failures >= retry.maxAttempts();
  }

  /** Consecutive failures so far. */
  public synchronized int failures() {
    return failures;
  }

  /** A success: start over from {@code baseDelay}. */
  public synchronized void reset() {
    failures = 0;
  }
}
