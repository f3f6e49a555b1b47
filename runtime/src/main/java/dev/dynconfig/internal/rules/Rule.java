package dev.dynconfig.internal.rules;

/**
 * A targeting rule compiled once at load time (JsonLogic with flagd's operators). Immutable and
 * thread-safe; evaluation does no JSON parsing and, for simple rules, allocates nothing.
 */
public interface Rule {

  /**
   * Evaluates the rule. The result is a JsonLogic value: {@code null}, {@link Boolean}, {@link
   * String}, {@link Number}, {@link java.util.List} or {@link java.util.Map}.
   *
   * @throws RuleLimitException when the evaluation would exceed its bounds on work or memory
   */
  Object evaluate(RuleData data);

  /** Evaluates the rule and applies JsonLogic truthiness to the result. */
  boolean test(RuleData data);
}
