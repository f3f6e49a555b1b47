package dev.dynconfig.rules;

/**
 * Bounds the iterations of map/filter/reduce/all/some/none within one evaluation, so a rule that
 * nests loops over large context lists cannot stall the caller. Only rules with loops get one.
 */
final class Budget {
  static final int MAX_ITERATIONS = 100_000;

  private int remaining = MAX_ITERATIONS;

  void spend() {
    if (--remaining < 0) {
      throw Abort.INSTANCE;
    }
  }
}
