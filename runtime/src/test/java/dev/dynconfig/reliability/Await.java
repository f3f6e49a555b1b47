package dev.dynconfig.reliability;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for asynchronous outcomes (the bound is a hang guard, not a measurement). */
final class Await {
  private Await() {}

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, Duration.ofSeconds(20), condition);
  }

  static void await(String what, Duration max, BooleanSupplier condition)
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
