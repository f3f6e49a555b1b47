package dev.dynconfig.internal.rules;

/**
 * Bounds the work and the memory of one evaluation of a rule with loops (map/filter/reduce/all/
 * some/none): iterations, nodes visited inside loop bodies, and the characters and array elements
 * produced, so that a rule cannot stall or exhaust its caller (e.g. {@code reduce} doubling a
 * string with {@code cat}). Rules without loops visit each node once and need no budget; the sizes
 * of single strings and arrays are bounded for every rule ({@link #checkString}, {@link
 * #checkArray}). Exceeding a bound ends the evaluation with {@link RuleLimitException}.
 */
final class Budget {
  /** Loop iterations per evaluation. */
  static final int MAX_ITERATIONS = 100_000;

  /** Nodes evaluated inside loop bodies per evaluation. */
  static final long MAX_NODES_VISITED = 1_000_000;

  /** Characters in one string a rule builds ({@code cat}, array-to-string). */
  static final int MAX_STRING_CHARS = 1_000_000;

  /** Elements in one array a rule builds ({@code merge}, {@code map}, {@code filter}). */
  static final int MAX_ARRAY_ELEMENTS = 100_000;

  /** Characters plus array elements built in total per evaluation. */
  static final long MAX_PRODUCED = 4_000_000;

  private int iterations;
  private long visited;
  private long produced;

  /** One loop iteration whose body has {@code bodyNodes} nodes. */
  void spend(int bodyNodes) {
    if (++iterations > MAX_ITERATIONS) {
      throw new RuleLimitException("more than " + MAX_ITERATIONS + " loop iterations");
    }
    visited += bodyNodes;
    if (visited > MAX_NODES_VISITED) {
      throw new RuleLimitException(
          "more than " + MAX_NODES_VISITED + " nodes evaluated inside loops");
    }
  }

  /** {@code units} characters or elements about to be built. */
  void produce(long units) {
    produced += units;
    if (produced > MAX_PRODUCED) {
      throw new RuleLimitException(
          "more than " + MAX_PRODUCED + " characters and array elements built in total");
    }
  }

  /** Before building a string of {@code chars} characters; {@code budget} may be null. */
  static void checkString(long chars, Budget budget) {
    if (chars > MAX_STRING_CHARS) {
      throw new RuleLimitException(
          "a string of " + chars + " characters, more than " + MAX_STRING_CHARS);
    }
    if (budget != null) {
      budget.produce(chars);
    }
  }

  /** Before building an array of {@code elements} elements; {@code budget} may be null. */
  static void checkArray(long elements, Budget budget) {
    if (elements > MAX_ARRAY_ELEMENTS) {
      throw new RuleLimitException(
          "an array of " + elements + " elements, more than " + MAX_ARRAY_ELEMENTS);
    }
    if (budget != null) {
      budget.produce(elements);
    }
  }
}
