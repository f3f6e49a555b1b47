package dev.dynconfig.internal.rules;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A compiled rule: the root node plus whether it needs a loop budget. */
final class CompiledRule implements Rule {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledRule.class);

  /** Evaluations that failed with an unexpected exception (a bug); 0 in a healthy system. */
  private static final java.util.concurrent.atomic.AtomicLong UNEXPECTED =
      new java.util.concurrent.atomic.AtomicLong();

  static long unexpectedFailures() {
    return UNEXPECTED.get();
  }

  private final Node root;
  private final boolean hasLoops;
  private final String path;

  CompiledRule(Node root, boolean hasLoops, String path) {
    this.root = root;
    this.hasLoops = hasLoops;
    this.path = path;
  }

  /** The root node, for {@link RuleShapes}. */
  Node root() {
    return root;
  }

  @Override
  public Object evaluate(RuleData data) {
    try {
      Object v = root.eval(data, data, hasLoops ? new Budget() : null);
      return v == Js.UNDEFINED ? null : v;
    } catch (Abort e) {
      // flagd semantics: an operator error makes the targeting yield null (the default variant).
      return null;
    } catch (RuleLimitException e) {
      throw e; // an error for the caller (reason ERROR), not a quiet "no match"
    } catch (RuntimeException | StackOverflowError e) {
      // Never throw into application code: a bug or a hostile RuleData ends as "no match".
      UNEXPECTED.incrementAndGet();
      LOG.warn("rule at {} failed to evaluate; treating it as null", path, e);
      return null;
    }
  }

  @Override
  public boolean test(RuleData data) {
    return Js.truthy(evaluate(data));
  }

  @Override
  public String toString() {
    return "Rule(" + path + ")";
  }
}
