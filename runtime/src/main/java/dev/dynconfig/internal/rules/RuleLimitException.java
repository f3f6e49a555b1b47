package dev.dynconfig.internal.rules;

/**
 * An evaluation went past a bound on its work or memory (see the limits in the class comment of the
 * rule package's budget: iterations, nodes visited, string and array sizes). The evaluation is
 * abandoned; the engine serves the default with reason {@code ERROR}. Carries no stack trace: the
 * message says which bound.
 */
final class RuleLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RuleLimitException(String what) {
    super("rule evaluation stopped: it would build or visit " + what, null, false, false);
  }
}
