package dev.dynconfig.internal.rules;

/** A compiled JsonLogic expression. Immutable; evaluation does no parsing. */
abstract class Node {
  /** JavaScript's undefined, as the operators see it. */
  static final Object U = Js.UNDEFINED;

  /** Argument {@code i} evaluated, or undefined when there are fewer arguments. */
  static Object arg(Node[] args, int i, Object scope, RuleData root, Budget budget) {
    return i < args.length ? args[i].eval(scope, root, budget) : U;
  }

  /** Undefined as null, where JsonLogic stores a value (arrays, results, accumulators). */
  static Object orNull(Object v) {
    return v == U ? null : v;
  }

  /**
   * Evaluates this expression.
   *
   * @param scope the data {@code var} reads: the {@link RuleData} at top level, the current element
   *     inside map/filter/all/some/none, the {current, accumulator} pair inside reduce
   * @param root the top-level data (for {@code fractional}'s flag key and targeting key)
   * @param budget the loop budget, non-null whenever the rule contains loops
   * @return a JsonLogic value; {@link Js#UNDEFINED} only from {@code and}/{@code or} with no
   *     arguments and from argument positions that do not exist
   */
  abstract Object eval(Object scope, RuleData root, Budget budget);

  /** Whether this node always yields the same value without reading data. */
  boolean isConstant() {
    return false;
  }

  /** Number of compiled nodes in this subtree (for the rule size limit across $ref reuse). */
  int size = 1;
}
