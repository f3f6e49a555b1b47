package dev.dynconfig.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waiting for asynchronous outcomes. The bound is a hang guard, not a measurement:
 * generous, because CI has two cores shared with other builds.
 */
public final class Await {
  /** The bound of {@link #await(String, BooleanSupplier)}. */
  public static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

  private Await() {}

  /** Waits until {@code condition} holds; fails naming {@code what} after {@link #DEFAULT_MAX}. */
  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, DEFAULT_MAX, condition);
  }

  /** Waits at most {@code max} until {@code condition} holds; fails naming {@code what}. */
  public static void await(String what, Duration max, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }
}
